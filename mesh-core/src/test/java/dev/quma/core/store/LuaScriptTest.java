package dev.quma.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.testing.PrivateRedis;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LuaScriptTest {
  @RegisterExtension static PrivateRedis redis = new PrivateRedis();

  private static final LuaScript GUARDED_ECHO =
      LuaScript.load(LuaScriptTest.class, "echo-guard.lua", "echo.lua");

  @Test
  void pipelinedRunsAnswerInOrderAndSurviveAnEmptiedScriptCache() {
    List<LuaScript.Call> calls =
        List.of(call("one"), call("stop"), call("three"), call("four"), call("five"));
    assertThat(strings(await(GUARDED_ECHO.runAll(redis.client(), calls))))
        .containsExactly("one", "stopped by the guard", "three", "four", "five");

    await(redis.client().send(Request.cmd(Command.SCRIPT).arg("FLUSH")));
    assertThat(strings(await(GUARDED_ECHO.runAll(redis.client(), calls))))
        .containsExactly("one", "stopped by the guard", "three", "four", "five");
    assertThat(
            await(redis.client().send(Request.cmd(Command.GET).arg("{echo}counter"))).toInteger())
        .as("each run happened once per pipeline, none twice after NOSCRIPT")
        .isEqualTo(8);

    await(redis.client().send(Request.cmd(Command.SCRIPT).arg("FLUSH")));
    assertThat(await(GUARDED_ECHO.run(redis.client(), call("alone")))).hasToString("alone");
  }

  @Test
  void aPipelineLongerThanTheConnectionsWaitingQueueIsSentInChunksInOrder() {
    int runs = 5_000; // the client's waiting queue holds 2048 commands
    List<LuaScript.Call> calls =
        java.util.stream.IntStream.range(0, runs).mapToObj(i -> call("run-" + i)).toList();

    List<String> replies = strings(await(GUARDED_ECHO.runAll(redis.client(), calls)));

    assertThat(replies).hasSize(runs);
    assertThat(replies.get(0)).isEqualTo("run-0");
    assertThat(replies.get(runs - 1)).isEqualTo("run-" + (runs - 1));
    List<Request> pings =
        java.util.stream.IntStream.range(0, runs)
            .mapToObj(i -> Request.cmd(Command.ECHO).arg("ping-" + i))
            .toList();
    assertThat(strings(await(SlotBatches.batch(redis.client(), pings))))
        .hasSize(runs)
        .endsWith("ping-" + (runs - 1));
  }

  @Test
  void keysAndArgumentsGoByNameAndALeftOutKeyIsNil() {
    assertThat(
            await(
                GUARDED_ECHO.run(
                    redis.client(),
                    call("hello")
                        .key("optional", "{echo}written")
                        .rest("more", List.of("a", "b")))))
        .hasToString("hello a,b");
    assertThat(await(redis.client().send(Request.cmd(Command.GET).arg("{echo}written"))))
        .hasToString("hello");
    assertThat(await(GUARDED_ECHO.run(redis.client(), call("plain").rest("more", List.of()))))
        .as("an empty rest list")
        .hasToString("plain ");
  }

  private static LuaScript.Call call(String word) {
    return new LuaScript.Call().key("counter", "{echo}counter").arg("word", word);
  }

  private static List<String> strings(List<Response> replies) {
    return replies.stream().map(Response::toString).toList();
  }

  private static <T> T await(Uni<T> uni) {
    return uni.await().atMost(Duration.ofSeconds(10));
  }
}

package dev.quma.core.events;

import static dev.quma.core.testing.Fixtures.dataplane;
import static dev.quma.core.testing.Fixtures.mesh;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.StoreSettings;
import dev.quma.testing.PrivateRedis;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Reading after a position, and telling a position the stream no longer covers. */
class ChangeStreamTest {
  @RegisterExtension static PrivateRedis redis = new PrivateRedis();

  private ResourceStore store;
  private ChangeStream changes;

  @BeforeEach
  void defaultMesh() {
    store = new ResourceStore(redis.client(), StoreSettings.DEFAULTS);
    changes = new ChangeStream(redis.client(), store.keys());
    await(store.create(mesh("default")));
  }

  @Test
  void catchesUpInPagesFromAPosition() {
    String start = await(changes.head("default"));
    for (int i = 1; i <= 5; i++) {
      await(store.create(dataplane("default", "web-" + i, "web", "10.0.0." + i, 80)));
    }
    ChangeStream.CatchUp first = await(changes.catchUp("default", start, 3));
    assertThat(first.lost()).isFalse();
    assertThat(first.more()).isTrue();
    assertThat(first.events())
        .extracting(ChangeEvent::name)
        .containsExactly("web-1", "web-2", "web-3");
    ChangeStream.CatchUp rest = await(changes.catchUp("default", first.position(), 3));
    assertThat(rest.events()).extracting(ChangeEvent::name).containsExactly("web-4", "web-5");
    assertThat(rest.more()).isFalse();
    assertThat(rest.position()).isEqualTo(await(changes.head("default")));
    ChangeStream.CatchUp nothing = await(changes.catchUp("default", rest.position(), 3));
    assertThat(nothing.events()).isEmpty();
    assertThat(nothing.lost()).isFalse();
    assertThat(nothing.position()).isEqualTo(rest.position());
  }

  @Test
  void aPositionTrimmedPastIsLost() {
    String position = await(changes.head("default"));
    await(store.create(dataplane("default", "web-1", "web", "10.0.0.1", 80)));
    await(store.create(dataplane("default", "web-2", "web", "10.0.0.2", 80)));
    trim("default", 1);

    assertThat(await(changes.catchUp("default", position, 100)).lost()).isTrue();
    assertThat(await(changes.lostAmong(Map.of("default", position)))).containsExactly("default");
    String head = await(changes.head("default"));
    assertThat(await(changes.catchUp("default", head, 100)).lost())
        .as("reading from the head after a reload")
        .isFalse();
  }

  @Test
  void aPositionInAStreamThatWasResetIsLost() {
    await(store.create(dataplane("default", "web-1", "web", "10.0.0.1", 80)));
    String position = await(changes.head("default"));
    await(redis.client().send(Request.cmd(Command.DEL).arg(changes.key("default"))));

    assertThat(await(changes.catchUp("default", position, 100)).lost()).as("stream gone").isTrue();
    await(store.put(dataplane("default", "web-1", "web", "10.0.0.9", 80), OptionalLong.empty()));
    assertThat(await(changes.catchUp("default", position, 100)).lost())
        .as("stream written again after the reset")
        .isTrue();
  }

  @Test
  void positionsTheStreamStillCoversAreNotLost() {
    String beginning = ChangeStream.BEGINNING;
    assertThat(await(changes.lostAmong(Map.of("nowhere", beginning))))
        .as("an empty stream read from the beginning")
        .isEmpty();
    String position = await(changes.head("default"));
    await(store.create(dataplane("default", "web-1", "web", "10.0.0.1", 80)));
    trim("default", 2); // the entry at the position is still there
    assertThat(await(changes.lostAmong(Map.of("default", position, "nowhere", beginning))))
        .isEmpty();
  }

  @Test
  void streamIdsCompareNumerically() {
    assertThat(StreamIds.compare("10-0", "9-5")).isPositive();
    assertThat(StreamIds.compare("5-10", "5-9")).isPositive();
    assertThat(StreamIds.compare("5-0", "5")).isZero();
    assertThat(StreamIds.millis("1700000000000-3")).isEqualTo(1700000000000L);
  }

  private void trim(String tag, int keep) {
    await(
        redis
            .client()
            .send(Request.cmd(Command.XTRIM).arg(changes.key(tag)).arg("MAXLEN").arg(keep)));
  }

  private static <T> T await(Uni<T> uni) {
    return uni.await().atMost(Duration.ofSeconds(10));
  }
}

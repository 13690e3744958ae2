package dev.quma.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.quma.local.LocalRedis;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.redis.client.impl.types.ErrorType;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What the Redis client raises when the store cannot serve, told from every other failure. */
class StoreUnavailableTest {

  @Test
  void aRedisThatIsNotThereIsUnavailable() {
    Vertx vertx = Vertx.vertx();
    Redis client = Redis.createClient(vertx, "redis://127.0.0.1:" + LocalRedis.freePort());
    try {
      Throwable failure =
          catchThrowable(
              () -> client.send(Request.cmd(Command.PING)).await().atMost(Duration.ofSeconds(10)));
      assertThat(failure).isNotNull();
      assertThat(StoreUnavailable.is(failure)).as(failure.toString()).isTrue();
    } finally {
      client.close();
      vertx.closeAndAwait();
    }
  }

  @Test
  void aRedisLoadingItsDataIsUnavailable() {
    assertThat(
            StoreUnavailable.is(ErrorType.create("LOADING Redis is loading the dataset in memory")))
        .isTrue();
    assertThat(StoreUnavailable.is(ErrorType.create("MASTERDOWN Link with MASTER is down")))
        .isTrue();
  }

  @Test
  void aClusterFailingOverIsUnavailableForTheMoment() {
    // A batch is not redirected: Vert.x fails it naming the command's index.
    assertThat(StoreUnavailable.is(ErrorType.create("ERR [0] MOVED 4310 127.0.0.1:7002"))).isTrue();
    assertThat(StoreUnavailable.is(ErrorType.create("READONLY You can't write against a replica")))
        .isTrue();
    assertThat(
            StoreUnavailable.is(ErrorType.create("NOREPLICAS Not enough good replicas to write.")))
        .isTrue();
    assertThat(StoreUnavailable.is(ErrorType.create("ERR [1] wrong number of arguments")))
        .isFalse();
  }

  @Test
  void otherFailuresAreNot() {
    assertThat(StoreUnavailable.is(ErrorType.create("ERR wrong number of arguments"))).isFalse();
    assertThat(StoreUnavailable.is(new IllegalStateException("LOADINGS of fun"))).isFalse();
    assertThat(
            StoreUnavailable.is(
                new ResourceNotFoundException(
                    dev.quma.core.model.ResourceType.DATAPLANE, "m", "n")))
        .isFalse();
  }
}

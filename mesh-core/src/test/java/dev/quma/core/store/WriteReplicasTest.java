package dev.quma.core.store;

import static dev.quma.core.testing.Fixtures.dataplane;
import static dev.quma.core.testing.Fixtures.mesh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.quma.core.model.ResourceType;
import dev.quma.testing.PrivateRedis;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code quma.store.write-replicas} on a Redis without replicas: a write waits the timeout, is
 * answered as the store being unavailable, and was applied on the master all the same.
 */
class WriteReplicasTest {
  @RegisterExtension static PrivateRedis redis = new PrivateRedis();

  @Test
  void aWriteShortOfItsReplicasIsUnavailableButApplied() {
    ResourceStore plain = new ResourceStore(redis.client(), StoreSettings.DEFAULTS);
    plain.create(mesh("default")).await().atMost(Duration.ofSeconds(5));
    ResourceStore waiting =
        new ResourceStore(
            redis.client(),
            new StoreSettings("quma", 100_000, new WriteReplicas(1, Duration.ofMillis(200))));

    long started = System.nanoTime();
    Throwable failure =
        catchThrowable(
            () ->
                waiting
                    .create(dataplane("default", "web-1", "web", "10.0.0.1", 80))
                    .await()
                    .atMost(Duration.ofSeconds(5)));

    assertThat(failure).hasMessageStartingWith("NOREPLICAS the write reached 0 of 1 replicas");
    assertThat(StoreUnavailable.is(failure)).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(150));
    assertThat(plain.find(ResourceType.DATAPLANE, "default", "web-1").await().indefinitely())
        .isPresent();

    Throwable delete =
        catchThrowable(
            () ->
                waiting
                    .delete(ResourceType.DATAPLANE, "default", "web-1", OptionalLong.empty())
                    .await()
                    .atMost(Duration.ofSeconds(5)));
    assertThat(StoreUnavailable.is(delete)).as("%s", delete).isTrue();
    assertThat(plain.find(ResourceType.DATAPLANE, "default", "web-1").await().indefinitely())
        .isEmpty();
  }
}

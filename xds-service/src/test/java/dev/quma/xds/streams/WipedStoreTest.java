package dev.quma.xds.streams;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.core.events.ChangeStream;
import dev.quma.core.insight.InsightReader;
import dev.quma.core.model.Labels;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.StoreWatch;
import dev.quma.envoysim.SimulatedEnvoy;
import dev.quma.xds.testing.DirectProxies;
import dev.quma.xds.testing.Seeds;
import dev.quma.xds.testing.XdsTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: the store loses its data under connected proxies. Once their mesh is back, the replica
 * registers its Direct proxies again (dataplane and insight), keeps their streams open, and its
 * views follow the new store: a proxy joining it reaches them and they reach it.
 */
@QuarkusTest
@QuarkusTestResource(XdsTestResources.class)
@TestProfile(WipedStoreTest.QuickChecks.class)
class WipedStoreTest {
  public static class QuickChecks implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "quma.store.identity-check-interval", "200ms",
          "quma.xds.stats-flush-interval", "100ms",
          "quma.xds.heartbeat-interval", "500ms");
    }
  }

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String MESH = "wiped";

  @Inject ResourceStore store;
  @Inject ChangeStream changes;
  @Inject InsightReader insights;
  @Inject Redis redis;
  @Inject StoreWatch watch;

  private DirectProxies proxies;

  @AfterEach
  void disconnect() {
    if (proxies != null) {
      proxies.close();
    }
  }

  @Test
  void connectedDirectProxiesAreRegisteredAgain() {
    await(store.create(Seeds.mesh(MESH)));
    proxies = new DirectProxies(MESH, XdsTestResources.grpcPort(), store, changes, WAIT);
    SimulatedEnvoy redis1 = proxies.join("redis-1", Seeds.redis(MESH, "redis-1", "10.7.0.1"));
    SimulatedEnvoy backend =
        proxies.join("backend-1", Seeds.backend(MESH, "backend-1", "10.7.0.9"));
    assertThat(backend.await(WAIT, () -> backend.endpointAddresses("redis").size() == 1)).isTrue();

    redis.send(Request.cmd(Command.FLUSHALL)).await().atMost(WAIT);
    await(store.create(Seeds.mesh(MESH))); // as api-service does for the default mesh
    waitFor(() -> watch.wipes() == 1 && watch.ready());

    for (String name : List.of("redis-1", "backend-1")) {
      var registered = await(store.get(ResourceType.DATAPLANE, MESH, name));
      assertThat(Labels.isDirect(registered)).as(name + " registered again, Direct").isTrue();
      waitFor(() -> await(insights.get(MESH, name)).online());
    }
    assertThat(redis1.closedWith()).isNull();
    assertThat(backend.closedWith()).isNull();

    // A proxy joining the new store (with a token of its new key 1) and the old ones meet.
    proxies.join("redis-2", Seeds.redis(MESH, "redis-2", "10.7.0.2"));
    assertThat(
            backend.await(
                WAIT,
                () ->
                    backend
                        .endpointAddresses("redis")
                        .equals(List.of("10.7.0.1:9000", "10.7.0.2:9000"))))
        .as("backend sees %s", backend.endpointAddresses("redis"))
        .isTrue();
    assertThat(redis1.closedWith()).isNull();
    assertThat(backend.closedWith()).isNull();
  }

  private static void waitFor(BooleanSupplier condition) {
    DirectProxies.waitFor(condition, WAIT);
  }

  private static <T> T await(Uni<T> uni) {
    return uni.await().atMost(WAIT);
  }
}

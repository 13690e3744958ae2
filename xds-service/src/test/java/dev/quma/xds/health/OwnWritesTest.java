package dev.quma.xds.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.core.events.ChangeStream;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.tokens.ProxyTokens;
import dev.quma.core.tokens.SigningKeyManager;
import dev.quma.envoysim.HdsClient;
import dev.quma.envoysim.SimulatedEnvoy;
import dev.quma.xds.follow.ViewSync;
import dev.quma.xds.testing.Seeds;
import dev.quma.xds.testing.XdsTestResources;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a replica writes itself, a graceful leave's departure and a probe result, reaches its own
 * consumers without the change stream: with the replica's change follower stopped, a change made
 * through the store is no longer seen here, and these still are. (Own profile: the follower stays
 * stopped for the rest of this application's life.)
 */
@QuarkusTest
@QuarkusTestResource(XdsTestResources.class)
@TestProfile(OwnWritesTest.Profile.class)
class OwnWritesTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  public static class Profile implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "quma.xds.deregistration-delay", "20s",
          "quma.xds.hds.interval", "1h",
          "quma.xds.hds.refresh-interval", "1h");
    }
  }

  @Inject ResourceStore store;
  @Inject ChangeStream changes;
  @Inject ViewSync views;

  private ManagedChannel channel;
  private SigningKeyManager keys;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @BeforeEach
  void channel() {
    keys = new SigningKeyManager(store, changes, Optional.empty());
    channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", XdsTestResources.grpcPort())
            .usePlaintext()
            .build();
  }

  @AfterEach
  void disconnect() throws Exception {
    for (AutoCloseable closeable : closeables) {
      closeable.close();
    }
    channel.shutdownNow();
  }

  @Test
  void aLeaveAndAnUnhealthyReportReachConsumersHereWithoutTheChangeStream() throws Exception {
    String mesh = "own-writes";
    await(store.create(Seeds.mesh(mesh)));
    SimulatedEnvoy backend =
        direct(mesh, "backend-1", Seeds.backend(mesh, "backend-1", "10.8.0.9"));
    SimulatedEnvoy leaving =
        direct(mesh, "redis-1", ServiceProbeTest.probed(mesh, "redis-1", "10.8.0.1", 6379));
    direct(mesh, "redis-2", ServiceProbeTest.probed(mesh, "redis-2", "10.8.0.2", 6379));
    HdsClient probed = health(mesh, "redis-2");
    HdsClient leavingHealth = health(mesh, "redis-1");
    leavingHealth.set("localhost:6379", true);
    leavingHealth.report();
    probed.set("localhost:6379", true);
    probed.report();
    awaitEndpoints(backend, "10.8.0.1:9000", "10.8.0.2:9000");

    views.stop();
    Thread.sleep(1500); // the follower's blocking read in flight (1 s) returns, and no other starts
    await(
        store.put(Seeds.resource(Seeds.redis(mesh, "redis-3", "10.8.0.3")), OptionalLong.empty()));
    Thread.sleep(1000);
    assertThat(redis(backend))
        .as("a dataplane created through the store is not seen: nothing follows the stream")
        .containsExactly("10.8.0.1:9000", "10.8.0.2:9000");
    assertThat(store.find(ResourceType.DATAPLANE, mesh, "redis-3").await().atMost(WAIT))
        .isPresent();

    leavingHealth.leave();
    leaving.leave();
    awaitEndpoints(backend, "10.8.0.2:9000");

    probed.set("localhost:6379", false);
    probed.report();
    awaitEndpoints(backend);
  }

  private SimulatedEnvoy direct(String mesh, String name, String resource) {
    SimulatedEnvoy envoy =
        SimulatedEnvoy.builder(mesh + "." + name)
            .dataplaneResource(resource)
            .token(token(mesh, name))
            .build();
    envoy.connect(channel);
    closeables.add(envoy::drop);
    assertThat(envoy.await(WAIT, envoy::configured))
        .as("configured, stream status " + envoy.closedWith())
        .isTrue();
    return envoy;
  }

  private HdsClient health(String mesh, String name) {
    HdsClient client =
        HdsClient.builder(Node.newBuilder().setId(mesh + "." + name).build())
            .token(token(mesh, name))
            .activeChecks(false)
            .build();
    closeables.add(client);
    client.connect(channel);
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (client.specifier() == null) {
      assertThat(System.nanoTime()).as("health checks received").isLessThan(deadline);
      sleep(10);
    }
    return client;
  }

  private String token(String mesh, String name) {
    return await(ProxyTokens.issue(keys, mesh, name, Duration.ofHours(1)));
  }

  private static List<String> redis(SimulatedEnvoy consumer) {
    return consumer.endpointAddresses("redis");
  }

  private static void awaitEndpoints(SimulatedEnvoy consumer, String... expected) {
    assertThat(consumer.await(WAIT, () -> redis(consumer).equals(List.of(expected))))
        .as("endpoints %s, expected %s", redis(consumer), List.of(expected))
        .isTrue();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static <T> T await(Uni<T> uni) {
    return uni.await().atMost(WAIT);
  }
}

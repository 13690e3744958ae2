package dev.quma.xds.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.core.events.ChangeStream;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.tokens.ProxyTokens;
import dev.quma.core.tokens.SigningKeyManager;
import dev.quma.envoysim.SimulatedEnvoy;
import dev.quma.xds.snapshot.ProxySnapshots;
import dev.quma.xds.testing.ControlledNames;
import dev.quma.xds.testing.JudgingCache;
import dev.quma.xds.testing.Seeds;
import dev.quma.xds.testing.XdsTestResources;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A dataplane whose {@code networking.address} is a domain name is an endpoint at the IP the name
 * resolves to, follows it when it moves, and is none while it does not resolve; over real gRPC,
 * with names the test points ({@link ControlledNames}, looked up again every 200 ms).
 */
@QuarkusTest
@QuarkusTestResource(XdsTestResources.class)
class DomainNameEndpointsTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  @Inject ResourceStore store;
  @Inject ChangeStream changes;
  @Inject ProxySnapshots snapshots;

  private ManagedChannel channel;
  private SigningKeyManager keys;
  private final List<SimulatedEnvoy> envoys = new ArrayList<>();

  @BeforeEach
  void channel() {
    keys = new SigningKeyManager(store, changes, Optional.empty());
    channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", XdsTestResources.grpcPort())
            .usePlaintext()
            .build();
  }

  @AfterEach
  void stop() {
    envoys.forEach(SimulatedEnvoy::drop);
    channel.shutdownNow();
  }

  @Test
  void anEndpointFollowsItsDomainNameAndIsLeftOutWhileItDoesNotResolve() {
    String mesh = "dns-follow";
    await(store.create(Seeds.mesh(mesh)));
    ControlledNames.point("redis-1.dns-follow.test", "10.40.0.1");
    SimulatedEnvoy redis1 =
        connect(mesh, "redis-1", Seeds.redis(mesh, "redis-1", "redis-1.dns-follow.test"));
    connect(mesh, "redis-2", Seeds.redis(mesh, "redis-2", "10.40.0.2"));
    SimulatedEnvoy backend =
        connect(mesh, "backend-1", Seeds.backend(mesh, "backend-1", "10.40.0.9"));

    awaitRedis(backend, List.of("10.40.0.1:9000", "10.40.0.2:9000"));
    awaitInboundListener(redis1, "10.40.0.1");

    ControlledNames.point("redis-1.dns-follow.test", "10.40.0.11");
    awaitRedis(backend, List.of("10.40.0.11:9000", "10.40.0.2:9000"));
    awaitInboundListener(redis1, "10.40.0.11");

    ControlledNames.remove("redis-1.dns-follow.test");
    awaitRedis(backend, List.of("10.40.0.2:9000"));

    ControlledNames.point("redis-1.dns-follow.test", "10.40.0.1");
    awaitRedis(backend, List.of("10.40.0.1:9000", "10.40.0.2:9000"));
    JudgingCache.assertEveryPushValid(snapshots);
  }

  @Test
  void aNameThatNeverResolvesIsNoEndpoint() {
    String mesh = "dns-never";
    await(store.create(Seeds.mesh(mesh)));
    connect(mesh, "redis-1", Seeds.redis(mesh, "redis-1", "nowhere.dns-never.test"));
    connect(mesh, "redis-2", Seeds.redis(mesh, "redis-2", "10.41.0.2"));
    SimulatedEnvoy backend =
        connect(mesh, "backend-1", Seeds.backend(mesh, "backend-1", "10.41.0.9"));

    awaitRedis(backend, List.of("10.41.0.2:9000"));
    sleep(600); // three lookups later, still out
    assertThat(backend.endpointAddresses("redis")).containsExactly("10.41.0.2:9000");
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private SimulatedEnvoy connect(String mesh, String name, String resource) {
    SimulatedEnvoy envoy =
        SimulatedEnvoy.builder(mesh + "." + name)
            .dataplaneResource(resource)
            .token(await(ProxyTokens.issue(keys, mesh, name, Duration.ofHours(1))))
            .build();
    envoys.add(envoy);
    envoy.connect(channel);
    assertThat(envoy.await(WAIT, envoy::configured))
        .as("configured, stream status " + envoy.closedWith())
        .isTrue();
    return envoy;
  }

  private static void awaitRedis(SimulatedEnvoy consumer, List<String> expected) {
    assertThat(consumer.await(WAIT, () -> consumer.endpointAddresses("redis").equals(expected)))
        .as("endpoints %s, expected %s", consumer.endpointAddresses("redis"), expected)
        .isTrue();
  }

  /** The proxy's own inbound listener listens at the IP its name resolves to. */
  private static void awaitInboundListener(SimulatedEnvoy proxy, String ip) {
    assertThat(proxy.await(WAIT, () -> inboundAddresses(proxy).equals(List.of(ip))))
        .as("inbound listener addresses %s, expected %s", inboundAddresses(proxy), ip)
        .isTrue();
  }

  private static List<String> inboundAddresses(SimulatedEnvoy proxy) {
    return proxy.listeners().entrySet().stream()
        .filter(listener -> listener.getKey().startsWith("inbound:"))
        .map(listener -> listener.getValue().getAddress().getSocketAddress().getAddress())
        .toList();
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

package dev.quma.xds.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.core.events.ChangeStream;
import dev.quma.core.store.ResourceStore;
import dev.quma.envoysim.SimulatedEnvoy;
import dev.quma.xds.snapshot.ProxySnapshots;
import dev.quma.xds.testing.ControlledNames;
import dev.quma.xds.testing.DirectProxies;
import dev.quma.xds.testing.JudgingCache;
import dev.quma.xds.testing.Seeds;
import dev.quma.xds.testing.XdsTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
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

  private DirectProxies proxies;

  @AfterEach
  void stop() {
    if (proxies != null) {
      proxies.close();
    }
  }

  @Test
  void anEndpointFollowsItsDomainNameAndIsLeftOutWhileItDoesNotResolve() {
    String mesh = mesh("dns-follow");
    ControlledNames.point("redis-1.dns-follow.test", "10.40.0.1");
    SimulatedEnvoy redis1 =
        proxies.join("redis-1", Seeds.redis(mesh, "redis-1", "redis-1.dns-follow.test"));
    proxies.join("redis-2", Seeds.redis(mesh, "redis-2", "10.40.0.2"));
    SimulatedEnvoy backend =
        proxies.join("backend-1", Seeds.backend(mesh, "backend-1", "10.40.0.9"));

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
    String mesh = mesh("dns-never");
    proxies.join("redis-1", Seeds.redis(mesh, "redis-1", "nowhere.dns-never.test"));
    proxies.join("redis-2", Seeds.redis(mesh, "redis-2", "10.41.0.2"));
    SimulatedEnvoy backend =
        proxies.join("backend-1", Seeds.backend(mesh, "backend-1", "10.41.0.9"));

    awaitRedis(backend, List.of("10.41.0.2:9000"));
    sleep(600); // three lookups later, still out
    assertThat(backend.endpointAddresses("redis")).containsExactly("10.41.0.2:9000");
  }

  // ---- helpers ----------------------------------------------------------------------------------

  /** A mesh of the test's own, and the proxies that join it. */
  private String mesh(String name) {
    await(store.create(Seeds.mesh(name)));
    proxies = new DirectProxies(name, XdsTestResources.grpcPort(), store, changes, WAIT);
    return name;
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
    return DirectProxies.await(uni, WAIT);
  }
}

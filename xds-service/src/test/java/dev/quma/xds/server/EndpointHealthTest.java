package dev.quma.xds.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.core.events.ChangeStream;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.tokens.ProxyTokens;
import dev.quma.core.tokens.SigningKeyManager;
import dev.quma.envoysim.SimulatedEnvoy;
import dev.quma.xds.snapshot.ProxySnapshots;
import dev.quma.xds.testing.JudgingCache;
import dev.quma.xds.testing.Seeds;
import dev.quma.xds.testing.XdsTestResources;
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
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Endpoints follow the proxies' connections, over real gRPC against a real Redis: a proxy that
 * closes its stream leaves its consumers' endpoints within a second (Direct and Indirect, long
 * before any deregistration) and is back when it reconnects; one whose stream breaks stays for the
 * grace period, then goes; and the panic guard keeps a service whose endpoints would mostly go at
 * once. Each test has a mesh of its own.
 */
@QuarkusTest
@QuarkusTestResource(XdsTestResources.class)
@TestProfile(EndpointHealthTest.ShortGrace.class)
class EndpointHealthTest {
  private static final Duration GRACE = Duration.ofSeconds(1);
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration LEAVE_BUDGET = Duration.ofSeconds(1);

  public static class ShortGrace implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "quma.xds.connection-grace",
          GRACE.toMillis() + "ms",
          // Long enough that a graceful leave is seen before any Direct dataplane is deleted.
          "quma.xds.deregistration-delay",
          "20s");
    }
  }

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
  void disconnect() {
    envoys.forEach(SimulatedEnvoy::drop);
    channel.shutdownNow();
  }

  @Test
  void aDirectProxyThatLeavesIsNoEndpointWithinASecondAndIsBackWhenItReconnects() {
    String mesh = mesh("leave-direct");
    SimulatedEnvoy backend =
        direct(mesh, "backend-1", Seeds.backend(mesh, "backend-1", "10.0.0.9"));
    SimulatedEnvoy redis1 = direct(mesh, "redis-1", Seeds.redis(mesh, "redis-1", "10.0.0.1"));
    direct(mesh, "redis-2", Seeds.redis(mesh, "redis-2", "10.0.0.2"));
    awaitEndpoints(backend, "10.0.0.1:9000", "10.0.0.2:9000");

    redis1.leave();
    long millis = millisUntil(() -> redis(backend).equals(List.of("10.0.0.2:9000")));
    assertThat(millis).as("ms until the consumer lost the endpoint").isLessThan(budget());

    direct(mesh, "redis-1", Seeds.redis(mesh, "redis-1", "10.0.0.1"));
    awaitEndpoints(backend, "10.0.0.1:9000", "10.0.0.2:9000");
  }

  @Test
  void anIndirectProxyThatLeavesIsNoEndpointWithinASecondAndIsBackWhenItReconnects() {
    String mesh = mesh("leave-indirect");
    await(store.create(Seeds.resource(Seeds.redis(mesh, "redis-1", "10.1.0.1"))));
    SimulatedEnvoy backend =
        direct(
            mesh,
            "backend-1",
            Seeds.backend(mesh, "backend-1", "10.1.0.9"),
            SimulatedEnvoy.Mode.DELTA);
    awaitEndpoints(backend, "10.1.0.1:9000"); // created through the API: an endpoint already
    SimulatedEnvoy redis1 = indirect(mesh, "redis-1");

    redis1.leave();
    long millis = millisUntil(() -> redis(backend).isEmpty());
    assertThat(millis).as("ms until the consumer lost the endpoint").isLessThan(budget());

    indirect(mesh, "redis-1");
    awaitEndpoints(backend, "10.1.0.1:9000");
  }

  @Test
  void aBrokenStreamKeepsItsEndpointForTheGracePeriodThenItGoes() {
    String mesh = mesh("broken");
    SimulatedEnvoy backend =
        direct(mesh, "backend-1", Seeds.backend(mesh, "backend-1", "10.2.0.9"));
    SimulatedEnvoy redis1 = direct(mesh, "redis-1", Seeds.redis(mesh, "redis-1", "10.2.0.1"));
    direct(mesh, "redis-2", Seeds.redis(mesh, "redis-2", "10.2.0.2"));
    direct(mesh, "redis-3", Seeds.redis(mesh, "redis-3", "10.2.0.3"));
    awaitEndpoints(backend, "10.2.0.1:9000", "10.2.0.2:9000", "10.2.0.3:9000");

    long broken = System.nanoTime();
    redis1.drop();
    long millis = millisUntil(() -> !redis(backend).contains("10.2.0.1:9000"));

    assertThat(millis)
        .as("ms until the lost proxy's endpoint went")
        .isBetween(GRACE.toMillis(), GRACE.toMillis() + 1000);
    assertThat((System.nanoTime() - broken) / 1_000_000).isGreaterThanOrEqualTo(GRACE.toMillis());
    assertThat(redis(backend)).containsExactly("10.2.0.2:9000", "10.2.0.3:9000");
  }

  @Test
  void aBrokenStreamThatReconnectsWithinTheGracePeriodNeverLeavesItsConsumers() {
    String mesh = mesh("flap");
    SimulatedEnvoy backend =
        direct(mesh, "backend-1", Seeds.backend(mesh, "backend-1", "10.3.0.9"));
    SimulatedEnvoy redis1 = direct(mesh, "redis-1", Seeds.redis(mesh, "redis-1", "10.3.0.1"));
    direct(mesh, "redis-2", Seeds.redis(mesh, "redis-2", "10.3.0.2"));
    awaitEndpoints(backend, "10.3.0.1:9000", "10.3.0.2:9000");
    List<List<String>> seen = new ArrayList<>();

    redis1.drop();
    direct(mesh, "redis-1", Seeds.redis(mesh, "redis-1", "10.3.0.1"));
    long until = System.nanoTime() + GRACE.multipliedBy(2).toNanos();
    while (System.nanoTime() < until) {
      seen.add(redis(backend));
      sleep(20);
    }

    assertThat(seen)
        .as("the endpoints seen over twice the grace period")
        .allSatisfy(
            endpoints -> assertThat(endpoints).containsExactly("10.3.0.1:9000", "10.3.0.2:9000"));
  }

  @Test
  void thePanicGuardKeepsAServiceWhoseEndpointsWouldMostlyGoAtOnce() {
    String mesh = mesh("panic");
    SimulatedEnvoy backend =
        direct(mesh, "backend-1", Seeds.backend(mesh, "backend-1", "10.4.0.9"));
    List<SimulatedEnvoy> redis = new ArrayList<>();
    List<String> all = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      redis.add(direct(mesh, "redis-" + i, Seeds.redis(mesh, "redis-" + i, "10.4.0." + i)));
      all.add("10.4.0." + i + ":9000");
    }
    awaitEndpoints(backend, all.toArray(String[]::new));

    redis.subList(0, 3).forEach(SimulatedEnvoy::drop); // 60 % of the service at once
    sleep(GRACE.toMillis() + 800);

    assertThat(redis(backend)).as("every endpoint kept").containsExactlyElementsOf(all);
    assertThat(snapshots.heldByPanicGuard(mesh)).as("held by the guard").isEqualTo(3);

    // Two of them come back: one lost of five is no panic, and it goes.
    direct(mesh, "redis-1", Seeds.redis(mesh, "redis-1", "10.4.0.1"));
    direct(mesh, "redis-2", Seeds.redis(mesh, "redis-2", "10.4.0.2"));
    awaitEndpoints(backend, "10.4.0.1:9000", "10.4.0.2:9000", "10.4.0.4:9000", "10.4.0.5:9000");
    assertThat(snapshots.heldByPanicGuard(mesh)).isZero();
  }

  @Test
  void proxiesThatLeaveAreNotHeldByThePanicGuard() {
    String mesh = mesh("leave-all");
    SimulatedEnvoy backend =
        direct(mesh, "backend-1", Seeds.backend(mesh, "backend-1", "10.5.0.9"));
    SimulatedEnvoy redis1 = direct(mesh, "redis-1", Seeds.redis(mesh, "redis-1", "10.5.0.1"));
    SimulatedEnvoy redis2 = direct(mesh, "redis-2", Seeds.redis(mesh, "redis-2", "10.5.0.2"));
    awaitEndpoints(backend, "10.5.0.1:9000", "10.5.0.2:9000");

    redis1.leave();
    redis2.leave();

    assertThat(millisUntil(() -> redis(backend).isEmpty())).isLessThan(budget());
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private static long budget() {
    return LEAVE_BUDGET.toMillis();
  }

  private String mesh(String name) {
    await(store.create(Seeds.mesh(name)));
    return name;
  }

  private SimulatedEnvoy direct(String mesh, String name, String resource) {
    return direct(mesh, name, resource, SimulatedEnvoy.Mode.SOTW);
  }

  private SimulatedEnvoy direct(
      String mesh, String name, String resource, SimulatedEnvoy.Mode mode) {
    return connect(
        SimulatedEnvoy.builder(mesh + "." + name)
            .dataplaneResource(resource)
            .mode(mode)
            .token(token(mesh, name)));
  }

  private SimulatedEnvoy indirect(String mesh, String name) {
    return connect(SimulatedEnvoy.builder(mesh + "." + name).token(token(mesh, name)));
  }

  private SimulatedEnvoy connect(SimulatedEnvoy.Builder builder) {
    SimulatedEnvoy envoy = builder.build();
    envoys.add(envoy.connect(channel));
    assertThat(envoy.await(WAIT, envoy::configured))
        .as("configured, stream status " + envoy.closedWith())
        .isTrue();
    return envoy;
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

  /** Milliseconds until {@code condition} holds (fails after {@link #WAIT}). */
  private static long millisUntil(BooleanSupplier condition) {
    long start = System.nanoTime();
    long deadline = start + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within %s", WAIT).isLessThan(deadline);
      sleep(5);
    }
    return (System.nanoTime() - start) / 1_000_000;
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

  @AfterEach
  void everyPushPassedEnvoysRules() {
    JudgingCache.assertEveryPushValid(snapshots);
  }
}

package dev.quma.e2e;

import static dev.quma.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.core.events.ChangeStream;
import dev.quma.core.insight.InsightReader;
import dev.quma.core.model.Mesh;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceMeta;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.StoreSettings;
import dev.quma.core.tokens.ProxyTokens;
import dev.quma.core.tokens.SigningKeyManager;
import dev.quma.envoyrules.EnvoyRules;
import dev.quma.envoysim.SimulatedEnvoy;
import dev.quma.envoysim.XdsChannels;
import dev.quma.launcher.ServiceProcess;
import dev.quma.local.LocalRedis;
import dev.quma.testing.PackagedServices;
import dev.quma.testing.SeedDataplanes;
import io.grpc.ManagedChannel;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two xds-service replicas as separate processes sharing one Redis: a proxy on one replica sees the
 * endpoints of proxies on the other, a graceful leave removes them everywhere, and a replica that
 * is stopped deletes nothing while its proxies move to the other one.
 */
class ReplicasIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static LocalRedis redisServer;
  private static Vertx vertx;
  private static Redis redis;
  private static ResourceStore store;
  private static InsightReader insights;
  private static SigningKeyManager keys;
  private static final List<AutoCloseable> closeables = new ArrayList<>();
  private static PackagedServices services;

  @BeforeAll
  static void redisAndMesh() {
    redisServer = LocalRedis.startEphemeral();
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, redisServer.url());
    store = new ResourceStore(redis, StoreSettings.DEFAULTS);
    insights = new InsightReader(redis, store.keys());
    keys = new SigningKeyManager(store, new ChangeStream(redis, store.keys()), Optional.empty());
    store.create(mesh("default")).await().atMost(WAIT);
    services = new PackagedServices(redisServer.url(), List.of("-Xmx256m"));
    closeables.add(services);
  }

  @AfterAll
  static void stopAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
    redis.close();
    vertx.closeAndAwait();
    redisServer.close();
  }

  @Test
  void proxiesOnTwoReplicasSeeEachOtherAndAStoppedReplicaDeletesNothing() {
    Replica a = start("xds-a");
    Replica b = start("xds-b");

    SimulatedEnvoy redis1 =
        join(a, "redis-1", SeedDataplanes.redis("default", "redis-1", "192.168.0.1"));
    SimulatedEnvoy backend =
        join(a, "backend-1", SeedDataplanes.backend("default", "backend-1", "192.168.0.2"));
    SimulatedEnvoy redis2 =
        join(b, "redis-2", SeedDataplanes.redis("default", "redis-2", "192.168.0.3"));

    assertThat(
            backend.await(
                WAIT,
                () ->
                    backend
                        .endpointAddresses("redis")
                        .equals(List.of("192.168.0.1:9000", "192.168.0.3:9000"))))
        .as(
            "backend (on replica a) sees redis-2 (on replica b): %s",
            backend.endpointAddresses("redis"))
        .isTrue();

    redis2.leave();
    assertThat(
            backend.await(
                WAIT, () -> backend.endpointAddresses("redis").equals(List.of("192.168.0.1:9000"))))
        .isTrue();
    assertThat(
            eventually(
                WAIT,
                () ->
                    store
                        .find(ResourceType.DATAPLANE, "default", "redis-2")
                        .await()
                        .atMost(WAIT)
                        .isEmpty()))
        .as("redis-2 deregistered")
        .isTrue();

    // Scale-down: replica a stops gracefully; its proxies lose their streams but nothing is
    // deleted.
    a.process.close();
    assertThat(redis1.await(WAIT, () -> redis1.closedWith() != null)).isTrue();
    sleep(Duration.ofMillis(1500)); // longer than the deregistration delay
    assertThat(store.find(ResourceType.DATAPLANE, "default", "redis-1").await().atMost(WAIT))
        .isPresent();
    assertThat(store.find(ResourceType.DATAPLANE, "default", "backend-1").await().atMost(WAIT))
        .isPresent();

    // They reconnect to the other replica and are served there.
    SimulatedEnvoy backendAgain =
        join(b, "backend-1", SeedDataplanes.backend("default", "backend-1", "192.168.0.2"));
    join(b, "redis-1", SeedDataplanes.redis("default", "redis-1", "192.168.0.1"));
    assertThat(
            backendAgain.await(
                WAIT,
                () -> backendAgain.endpointAddresses("redis").equals(List.of("192.168.0.1:9000"))))
        .isTrue();
    assertThat(
            eventually(
                WAIT,
                () -> {
                  var insight = insights.get("default", "backend-1").await().atMost(WAIT);
                  return insight.online()
                      && insight.subscriptions().stream()
                          .anyMatch(
                              s ->
                                  "xds-b".equals(s.controlPlaneInstanceId())
                                      && s.disconnectTime() == null);
                }))
        .isTrue();
  }

  /**
   * Issue 15, item 7: two proxies with one name on two replicas were both kept, and the stored
   * address flipped between them. The second is refused (ALREADY_EXISTS), with the same resource as
   * with another; the first proxy, moving to the other replica (its connection broke), is served.
   */
  @Test
  void aSecondProxyUnderANameHeldOnAnotherReplicaIsAlreadyExists() {
    Replica a = start("xds-na");
    Replica b = start("xds-nb");
    String resource = SeedDataplanes.redis("default", "shared-1", "192.168.7.1");
    SimulatedEnvoy first =
        join(a, proxy("default", "shared-1", "host-1").dataplaneResource(resource));

    for (String offered :
        List.of(resource, SeedDataplanes.redis("default", "shared-1", "192.168.7.2"))) {
      SimulatedEnvoy second =
          proxy("default", "shared-1", "host-2").dataplaneResource(offered).build();
      second.connect(b.channel());
      closeables.add(second);
      assertThat(second.await(WAIT, () -> second.closedWith() != null)).as("refused").isTrue();
      assertThat(second.closedWith().getCode()).isEqualTo(io.grpc.Status.Code.ALREADY_EXISTS);
      assertThat(second.closedWith().getDescription()).contains("connected to the control plane");
    }
    assertThat(first.closedWith()).isNull();
    assertThat(
            store
                .get(
                    ResourceType.DATAPLANE,
                    "default",
                    "shared-1",
                    dev.quma.core.model.Dataplane.class)
                .await()
                .atMost(WAIT)
                .spec()
                .networking()
                .address())
        .as("the stored address stays the first proxy's")
        .isEqualTo("192.168.7.1");

    // The first proxy reconnects through the other replica before replica a noticed: it is served.
    join(b, proxy("default", "shared-1", "host-1").dataplaneResource(resource));
  }

  /**
   * Issue 16's reproduction: a replica is killed (-9) while it serves half the proxies, which fail
   * over to the other replica: within the grace period no endpoint flaps at their consumer. Later
   * they leave. The dead replica's subscriptions stay open in the insights, but nothing may read
   * them as open once its heartbeat ran out: every proxy that left is deregistered and gone from
   * every consumer.
   */
  @Test
  void proxiesOfAKilledReplicaFailOverWithoutAFlapAndWhenTheyLeaveAreDeregisteredEverywhere()
      throws Exception {
    store.create(mesh("crash")).await().atMost(WAIT);
    Map<String, String> fast =
        Map.of("QUMA_XDS_HEARTBEAT_INTERVAL", "300ms", "QUMA_XDS_STATS_FLUSH_INTERVAL", "300ms");
    Replica a = start("xds-ka", fast);
    Replica b = start("xds-kb", fast);
    SimulatedEnvoy consumer =
        join(b, "crash", "backend-k", SeedDataplanes.backend("crash", "backend-k", "10.9.0.9"));
    // Half the redis proxies on the replica that will be killed, half on the one that stays.
    List<SimulatedEnvoy> onA = new ArrayList<>();
    List<String> addresses = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      Replica replica = i <= 3 ? a : b;
      SimulatedEnvoy redis =
          join(
              replica,
              "crash",
              "redis-k" + i,
              SeedDataplanes.redis("crash", "redis-k" + i, "10.9.0." + i));
      if (replica == a) {
        onA.add(redis);
      }
      addresses.add("10.9.0." + i + ":9000");
    }
    assertThat(consumer.await(WAIT, () -> consumer.endpointAddresses("redis").equals(addresses)))
        .as("consumer sees every redis: %s", consumer.endpointAddresses("redis"))
        .isTrue();
    // Every endpoint set the consumer accepts from the kill until the proxies are back.
    List<List<String>> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    consumer.onUpdate(type -> seen.add(consumer.endpointAddresses("redis")));

    ProcessHandle.of(a.process().pid()).orElseThrow().destroyForcibly();
    List<SimulatedEnvoy> failedOver = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      SimulatedEnvoy lost = onA.get(i - 1);
      assertThat(lost.await(WAIT, () -> lost.closedWith() != null)).as("stream broke").isTrue();
      failedOver.add(
          join(
              b,
              "crash",
              "redis-k" + i,
              SeedDataplanes.redis("crash", "redis-k" + i, "10.9.0." + i)));
    }
    sleep(Duration.ofSeconds(1)); // what the reconnects set reaches the consumer
    assertThat(seen)
        .as("within the grace period no endpoint left the consumer")
        .allSatisfy(endpoints -> assertThat(endpoints).isEqualTo(addresses));
    assertThat(consumer.endpointAddresses("redis")).isEqualTo(addresses);

    failedOver.forEach(SimulatedEnvoy::leave);
    for (int i = 1; i <= 3; i++) {
      String name = "redis-k" + i;
      assertThat(
              eventually(
                  WAIT,
                  () ->
                      store
                          .find(ResourceType.DATAPLANE, "crash", name)
                          .await()
                          .atMost(WAIT)
                          .isEmpty()))
          .as(name + " deregistered")
          .isTrue();
    }
    List<String> stayed = addresses.subList(3, 6);
    assertThat(consumer.await(WAIT, () -> consumer.endpointAddresses("redis").equals(stayed)))
        .as(
            "the ones that left are gone from the consumer: %s",
            consumer.endpointAddresses("redis"))
        .isTrue();
    SimulatedEnvoy newcomer =
        join(b, "crash", "backend-k2", SeedDataplanes.backend("crash", "backend-k2", "10.9.0.10"));
    assertThat(newcomer.endpointAddresses("redis"))
        .as("a new consumer sees only those that stayed")
        .isEqualTo(stayed);
  }

  private record Replica(ServiceProcess process, ManagedChannel channel) {}

  private static Replica start(String id) {
    return start(id, Map.of());
  }

  private static Replica start(String id, Map<String, String> extraEnv) {
    PackagedServices.Started replica =
        services.start(
            id,
            "xds-service",
            ports ->
                withExtra(
                    extraEnv,
                    "QUMA_XDS_PORT",
                    String.valueOf(ports.serving()),
                    "QUMA_XDS_HTTP_PORT",
                    String.valueOf(ports.http()),
                    "QUMA_XDS_INSTANCE_ID",
                    id,
                    "QUMA_XDS_DEREGISTRATION_DELAY",
                    "500ms",
                    "QUMA_TLS_DIR",
                    tlsDir(id).toString()));
    // It serves TLS, and its start-up line says so (it once said "TLS enabled: false").
    assertThat(replica.output().toString())
        .contains("TLS enabled: true")
        .doesNotContain("TLS enabled: false");
    // Over TLS, trusting the CA the replica got its certificate from, as Envoy does.
    ManagedChannel channel =
        XdsChannels.tls("localhost", replica.ports().serving(), tlsDir(id).resolve("ca.crt"));
    closeables.add(channel::shutdownNow);
    return new Replica(replica.process(), channel);
  }

  private static Resource<Mesh> mesh(String name) {
    return new Resource<>(ResourceMeta.of(ResourceType.MESH, null, name, Map.of()), Mesh.EMPTY);
  }

  private static Map<String, String> withExtra(Map<String, String> extra, String... pairs) {
    Map<String, String> all = new java.util.HashMap<>();
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      all.put(pairs[i], pairs[i + 1]);
    }
    all.putAll(extra);
    return all;
  }

  private static Path tlsDir(String replica) {
    return Path.of("target", "tls-" + replica).toAbsolutePath();
  }

  private static SimulatedEnvoy join(Replica replica, String name, String resource) {
    return join(replica, "default", name, resource);
  }

  private static SimulatedEnvoy join(Replica replica, String mesh, String name, String resource) {
    return join(
        replica,
        SimulatedEnvoy.builder(mesh + "." + name)
            .dataplaneResource(resource)
            .token(ProxyTokens.issue(keys, mesh, name, Duration.ofHours(1)).await().atMost(WAIT)));
  }

  /** A proxy process ({@code instance}) with a token for its name. */
  private static SimulatedEnvoy.Builder proxy(String mesh, String name, String instance) {
    return SimulatedEnvoy.builder(mesh + "." + name)
        .proxyInstance(instance)
        .token(ProxyTokens.issue(keys, mesh, name, Duration.ofHours(1)).await().atMost(WAIT));
  }

  private static SimulatedEnvoy join(Replica replica, SimulatedEnvoy.Builder builder) {
    SimulatedEnvoy envoy = builder.build();
    envoy.connect(replica.channel());
    closeables.add(envoy);
    assertThat(envoy.await(WAIT, envoy::configured))
        .as("configured; stream status " + envoy.closedWith())
        .isTrue();
    assertHoldsValidConfig(envoy);
    return envoy;
  }

  /** What the Envoy holds once configured is one whole push: it must pass Envoy's rules. */
  private static void assertHoldsValidConfig(SimulatedEnvoy envoy) {
    List<com.google.protobuf.Message> held = new ArrayList<>(envoy.listeners().values());
    held.addAll(envoy.clusters().values());
    held.addAll(envoy.endpoints().values());
    assertThat(EnvoyRules.checkPush(held)).as("Envoy's rules").isEmpty();
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package dev.quma.core.stats;

import static dev.quma.core.testing.Fixtures.mesh;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.core.codec.Format;
import dev.quma.core.codec.ResourceCodec;
import dev.quma.core.insight.DataplaneInsight;
import dev.quma.core.insight.DataplaneInsight.DiscoverySubscription;
import dev.quma.core.insight.Heartbeats;
import dev.quma.core.insight.InsightWriter;
import dev.quma.core.insight.ProbeHealth;
import dev.quma.core.insight.ProbeResults;
import dev.quma.core.lease.Fence;
import dev.quma.core.model.Dataplane;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.Keys;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.StoreSettings;
import dev.quma.testing.PrivateRedis;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The mesh counters follow every writer (store puts and deletes, insight writes, the Offline mark)
 * in the same script, by Kuma's status rules; a reconcile corrects drift without counting twice.
 */
class MeshStatsStoreTest {
  @RegisterExtension static PrivateRedis redis = new PrivateRedis();

  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  private ResourceStore store;
  private InsightWriter insights;
  private MeshStatsStore stats;
  private Keys keys;

  @BeforeEach
  void defaultMesh() {
    store = new ResourceStore(redis.client(), StoreSettings.DEFAULTS);
    insights = new InsightWriter(redis.client(), store.keys());
    stats = new MeshStatsStore(redis.client(), store);
    keys = store.keys();
    await(store.create(mesh("default")));
  }

  @Test
  void aNewMeshCountsNothingButEveryKindIsThere() {
    MeshStats empty = await(stats.read("default"));
    assertThat(empty.dataplanes()).isEqualTo(StatusCounts.ZERO);
    assertThat(empty.dataplanesByKind())
        .containsOnlyKeys("standard", "gatewayBuiltin", "gatewayDelegated");
    assertThat(empty.servicesByKind())
        .containsOnlyKeys("internal", "gatewayBuiltin", "gatewayDelegated");
    assertThat(empty.kumaDpVersions()).isEmpty();
    assertThat(empty.distinctServices()).isZero();
  }

  @Test
  void aDataplaneCountsOfflineUntilItsProxyConnectsThenByItsVersions() {
    await(store.create(standard("web-1", "web", true)));
    MeshStats registered = await(stats.read("default"));
    assertThat(registered.dataplanesByKind().get("standard")).isEqualTo(new StatusCounts(0, 1, 0));
    assertThat(registered.kumaDpVersions()).containsOnly(Map.entry("unknown", counts(0, 1, 0)));
    assertThat(registered.envoyVersions()).containsOnly(Map.entry("unknown", counts(0, 1, 0)));
    assertThat(registered.servicesByKind().get("internal")).isEqualTo(counts(0, 1, 0));
    assertThat(registered.distinctServices()).isEqualTo(1);

    await(insights.open("default", "web-1", connected("2.9.1", "1.30.2"), NOW));
    MeshStats online = await(stats.read("default"));
    assertThat(online.dataplanes()).isEqualTo(counts(1, 0, 0));
    assertThat(online.kumaDpVersions()).containsOnly(Map.entry("2.9.1", counts(1, 0, 0)));
    assertThat(online.envoyVersions()).containsOnly(Map.entry("1.30.2", counts(1, 0, 0)));
    assertThat(online.servicesByKind().get("internal")).isEqualTo(counts(1, 0, 0));
    assertThat(online.modified()).isNotNull();
    assertThat(online.epoch()).isGreaterThan(registered.epoch());

    await(insights.close("default", "web-1", disconnected("2.9.1", "1.30.2")));
    MeshStats gone = await(stats.read("default"));
    assertThat(gone.dataplanes()).isEqualTo(counts(0, 1, 0));
    assertThat(gone.kumaDpVersions())
        .as("the latest subscription's version counts after it closed, as in Kuma")
        .containsOnly(Map.entry("2.9.1", counts(0, 1, 0)));
  }

  @Test
  void inboundsThatAreNotReadyDegradeThenTakeDownAStandardDataplane() {
    await(store.create(standard("web-1", "web", true)));
    await(insights.open("default", "web-1", connected("2.9.1", "1.30.2"), NOW));

    await(store.put(twoInbounds("web-1", true, false), OptionalLong.empty()));
    assertThat(await(stats.read("default")).dataplanes()).isEqualTo(counts(0, 0, 1));
    assertThat(await(stats.read("default")).servicesByKind().get("internal"))
        .as("a service whose only dataplane is degraded has no online dataplane")
        .isEqualTo(counts(0, 2, 0));

    await(store.put(twoInbounds("web-1", false, false), OptionalLong.empty()));
    assertThat(await(stats.read("default")).dataplanes()).isEqualTo(counts(0, 1, 0));

    await(store.put(twoInbounds("web-1", true, true), OptionalLong.empty()));
    MeshStats ready = await(stats.read("default"));
    assertThat(ready.dataplanes()).isEqualTo(counts(1, 0, 0));
    assertThat(ready.distinctServices()).isEqualTo(2);
  }

  @Test
  void probeResultsDegradeAndTakeDownAnOnlineDataplaneAndAReconcileAgrees() {
    ProbeResults probes = new ProbeResults(redis.client(), keys, 1000);
    await(store.create(probed("web-1")));
    await(insights.open("default", "web-1", connected("2.9.1", "1.30.2"), NOW));
    assertThat(await(stats.read("default")).dataplanes())
        .as("a probed inbound is not ready before its first report; the other one is")
        .isEqualTo(counts(0, 0, 1));

    await(probes.record("default", "web-1", probe(true, true)));
    assertThat(await(stats.read("default")).dataplanes()).isEqualTo(counts(1, 0, 0));

    await(probes.record("default", "web-1", probe(true, false)));
    assertThat(await(stats.read("default")).dataplanes()).isEqualTo(counts(0, 0, 1));
    assertThat(await(stats.reconcile("default", 100)).outcome())
        .as("a reconcile computes the same status from the same probe results")
        .isEqualTo(ReconcileReport.Outcome.SAME);

    await(probes.record("default", "web-1", probe(false, true)));
    assertThat(await(stats.read("default")).dataplanes())
        .as("a draining proxy (readiness reporter failing) has no ready inbound")
        .isEqualTo(counts(0, 1, 0));

    await(probes.record("default", "web-1", probe(true, true)));
    await(store.put(probed("web-1"), OptionalLong.empty()));
    assertThat(await(stats.read("default")).dataplanes())
        .as("a spec write keeps the probe results in the count")
        .isEqualTo(counts(1, 0, 0));
  }

  @Test
  void aDataplaneWithoutProbedInboundsFollowsOnlyItsProxysReadiness() {
    ProbeResults probes = new ProbeResults(redis.client(), keys, 1000);
    await(store.create(standard("web-1", "web", true)));
    await(insights.open("default", "web-1", connected("2.9.1", "1.30.2"), NOW));

    await(probes.record("default", "web-1", new ProbeHealth(NOW.toEpochMilli(), false, Map.of())));
    assertThat(await(stats.read("default")).dataplanes()).isEqualTo(counts(0, 1, 0));

    await(probes.record("default", "web-1", new ProbeHealth(NOW.toEpochMilli(), true, Map.of())));
    assertThat(await(stats.read("default")).dataplanes()).isEqualTo(counts(1, 0, 0));
  }

  @Test
  void gatewaysCountByTheirTypeAndIgnoreReadiness() {
    await(store.create(gateway("edge-1", "edge", "BUILTIN")));
    await(store.create(gateway("edge-2", "legacy-edge", "DELEGATED")));
    await(insights.open("default", "edge-1", connected("2.9.1", "1.30.2"), NOW));
    MeshStats counted = await(stats.read("default"));
    assertThat(counted.dataplanesByKind().get("gatewayBuiltin")).isEqualTo(counts(1, 0, 0));
    assertThat(counted.dataplanesByKind().get("gatewayDelegated")).isEqualTo(counts(0, 1, 0));
    assertThat(counted.dataplanesByKind().get("standard")).isEqualTo(StatusCounts.ZERO);
    assertThat(counted.servicesByKind().get("gatewayBuiltin")).isEqualTo(counts(1, 0, 0));
    assertThat(counted.servicesByKind().get("gatewayDelegated")).isEqualTo(counts(0, 1, 0));
    assertThat(counted.distinctServices()).isEqualTo(2);
  }

  @Test
  void servicesAreOnlineOfflineOrPartiallyDegradedByTheirDataplanes() {
    await(store.create(standard("web-1", "web", true)));
    await(store.create(standard("web-2", "web", true)));
    await(insights.open("default", "web-1", connected("2.9.1", "1.30.2"), NOW));
    assertThat(await(stats.read("default")).servicesByKind().get("internal"))
        .isEqualTo(counts(0, 0, 1));
    await(insights.open("default", "web-2", connected("2.9.1", "1.30.2"), NOW));
    assertThat(await(stats.read("default")).servicesByKind().get("internal"))
        .isEqualTo(counts(1, 0, 0));
    assertThat(await(stats.read("default")).distinctServices()).isEqualTo(1);
  }

  @Test
  void theOfflineMarkAndTheDeleteTakeTheirShareOut() {
    await(store.create(standard("web-1", "web", true)));
    await(store.create(standard("web-2", "web", true)));
    await(insights.open("default", "web-1", connected("2.9.1", "1.30.2"), NOW.minusSeconds(600)));
    await(insights.open("default", "web-2", connected("2.9.0", "1.30.2"), NOW));

    Heartbeats heartbeats = new Heartbeats(redis.client(), keys);
    await(
        heartbeats.markOffline(
            "default", List.of("web-1"), NOW.minusSeconds(300), NOW, new Fence("sweeper", 1)));
    MeshStats marked = await(stats.read("default"));
    assertThat(marked.dataplanes()).isEqualTo(counts(1, 1, 0));
    assertThat(marked.kumaDpVersions())
        .containsOnly(Map.entry("2.9.0", counts(1, 0, 0)), Map.entry("2.9.1", counts(0, 1, 0)));

    await(store.delete(ResourceType.DATAPLANE, "default", "web-1", OptionalLong.empty()));
    await(store.delete(ResourceType.DATAPLANE, "default", "web-2", OptionalLong.empty()));
    MeshStats none = await(stats.read("default"));
    assertThat(none.dataplanes()).isEqualTo(StatusCounts.ZERO);
    assertThat(none.kumaDpVersions()).isEmpty();
    assertThat(none.distinctServices()).isZero();
    assertThat(hashSize(keys.statsServices("default"))).isZero();
    assertThat(fields(keys.stats("default")))
        .as("counters that reach zero leave the hash")
        .containsOnlyKeys("epoch", "mt");
  }

  @Test
  void deletingTheMeshTakesItsCountersWithItButTheEpochGoesOn() {
    await(store.create(mesh("other")));
    await(store.create(standard("web-1", "web", true, "other")));
    await(store.delete(ResourceType.DATAPLANE, "other", "web-1", OptionalLong.empty()));
    long epoch = await(stats.read("other")).epoch();
    await(store.delete(ResourceType.MESH, null, "other", OptionalLong.empty()));
    assertThat(fields(keys.stats("other")))
        .as("only the epoch stays, so that it never repeats")
        .isEqualTo(Map.of("epoch", String.valueOf(epoch)));
    assertThat(exists(keys.statsServices("other"))).isFalse();
    await(store.create(mesh("other")));
    await(store.create(standard("web-1", "web", true, "other")));
    assertThat(await(stats.read("other")).epoch()).isGreaterThan(epoch);
    assertThat(await(stats.read("other")).dataplanes()).isEqualTo(counts(0, 1, 0));
  }

  @Test
  void aReconcileFindsNothingToChangeWhenTheCountersAreRight() {
    await(store.create(standard("web-1", "web", true)));
    await(insights.open("default", "web-1", connected("2.9.1", "1.30.2"), NOW));
    MeshStats before = await(stats.read("default"));

    ReconcileReport report = await(stats.reconcile("default", 100));

    assertThat(report.outcome()).isEqualTo(ReconcileReport.Outcome.SAME);
    assertThat(report.walked()).isEqualTo(1);
    assertThat(report.corrected()).isZero();
    assertThat(await(stats.read("default"))).isEqualTo(before);
    assertThat(keysMatching("*stats:rebuild*")).as("the rebuild leaves nothing behind").isEmpty();
  }

  @Test
  void aReconcileRepairsCountersAndDataplanesWrittenBeforeTheCountersExisted() {
    for (int i = 0; i < 7; i++) {
      await(store.create(standard("web-" + i, "web", true)));
      await(insights.open("default", "web-" + i, connected("2.9.1", "1.30.2"), NOW));
    }
    MeshStats truth = await(stats.read("default"));
    // Drift: a counter edited by hand, and two records as an older version left them.
    await(
        redis
            .client()
            .send(
                Request.cmd(Command.HSET)
                    .arg(keys.stats("default"))
                    .arg("dp\1standard\1online")
                    .arg(42)));
    for (String name : List.of("web-2", "web-5")) {
      await(
          redis
              .client()
              .send(
                  Request.cmd(Command.HDEL)
                      .arg(keys.record(ResourceType.DATAPLANE, "default", name))
                      .arg("xs")
                      .arg("xc")));
    }

    ReconcileReport report = await(stats.reconcile("default", 3));

    assertThat(report.outcome()).isEqualTo(ReconcileReport.Outcome.REPLACED);
    assertThat(report.walked()).isEqualTo(7);
    assertThat(report.corrected()).isEqualTo(2);
    MeshStats repaired = await(stats.read("default"));
    assertThat(repaired.dataplanes()).isEqualTo(truth.dataplanes()).isEqualTo(counts(7, 0, 0));
    assertThat(repaired.kumaDpVersions()).isEqualTo(truth.kumaDpVersions());
    assertThat(repaired.servicesByKind()).isEqualTo(truth.servicesByKind());
    assertThat(repaired.distinctServices()).isEqualTo(1);
    assertThat(ttl(keys.stats("default"))).as("live counters never expire").isEqualTo(-1);

    // After the repair, the writers keep counting from the right place.
    await(store.delete(ResourceType.DATAPLANE, "default", "web-2", OptionalLong.empty()));
    assertThat(await(stats.read("default")).dataplanes()).isEqualTo(counts(6, 0, 0));
  }

  @Test
  void aReconcileLeavesABusyMeshAloneRatherThanLoseAChange() {
    for (int i = 0; i < 4; i++) {
      await(store.create(standard("web-" + i, "web", true)));
    }
    await(
        redis
            .client()
            .send(
                Request.cmd(Command.HSET)
                    .arg(keys.stats("default"))
                    .arg("dp\1standard\1offline")
                    .arg(99)));
    AtomicBoolean changed = new AtomicBoolean();
    ReconcileReport report =
        await(
            stats.reconcile(
                "default",
                2,
                () -> {
                  if (changed.getAndSet(true)) {
                    return Uni.createFrom().voidItem();
                  }
                  // A proxy connects while the reconcile walks.
                  return insights
                      .open("default", "web-3", connected("2.9.1", "1.30.2"), NOW)
                      .replaceWithVoid();
                }));

    assertThat(report.outcome()).isEqualTo(ReconcileReport.Outcome.BUSY);
    MeshStats kept = await(stats.read("default"));
    assertThat(kept.dataplanesByKind().get("standard").online())
        .as("the change made meanwhile is counted")
        .isEqualTo(1);
    assertThat(await(stats.reconcile("default", 2)).outcome())
        .isEqualTo(ReconcileReport.Outcome.REPLACED);
    assertThat(await(stats.read("default")).dataplanes()).isEqualTo(counts(1, 3, 0));
  }

  @Test
  void aReconcileClaimIsTakenOncePerInterval() {
    assertThat(await(stats.claimReconcile("default", "api-a", Duration.ofSeconds(30)))).isTrue();
    assertThat(await(stats.claimReconcile("default", "api-b", Duration.ofSeconds(30)))).isFalse();
  }

  // ---- fixtures --------------------------------------------------------------------------------

  private static StatusCounts counts(long online, long offline, long degraded) {
    return new StatusCounts(online, offline, degraded);
  }

  private static Resource<Dataplane> standard(String name, String service, boolean ready) {
    return standard(name, service, ready, "default");
  }

  private static Resource<Dataplane> standard(
      String name, String service, boolean ready, String mesh) {
    return dataplane(
        """
        type: Dataplane
        mesh: %s
        name: %s
        networking:
          address: 10.0.0.1
          inbound:
          - port: 8080
            health: {ready: %s}
            tags: {kuma.io/service: %s}
        """
            .formatted(mesh, name, ready, service));
  }

  private static Resource<Dataplane> twoInbounds(String name, boolean firstReady, boolean second) {
    return dataplane(
        """
        type: Dataplane
        mesh: default
        name: %s
        networking:
          address: 10.0.0.1
          inbound:
          - port: 8080
            health: {ready: %s}
            tags: {kuma.io/service: web}
          - port: 8081
            state: %s
            tags: {kuma.io/service: web-admin}
          - port: 8082
            state: Ignored
            tags: {kuma.io/service: web-preview}
        """
            .formatted(name, firstReady, second ? "Ready" : "NotReady"));
  }

  /** Port 8080 with a TCP service probe, port 8081 without one. */
  private static Resource<Dataplane> probed(String name) {
    return dataplane(
        """
        type: Dataplane
        mesh: default
        name: %s
        networking:
          address: 10.0.0.1
          inbound:
          - port: 8080
            tags: {kuma.io/service: web}
            serviceProbe: {tcp: {}}
          - port: 8081
            tags: {kuma.io/service: web-admin}
        """
            .formatted(name));
  }

  private static ProbeHealth probe(boolean proxyReady, boolean probedPortPasses) {
    return new ProbeHealth(NOW.toEpochMilli(), proxyReady, Map.of(8080, probedPortPasses));
  }

  private static Resource<Dataplane> gateway(String name, String service, String type) {
    return dataplane(
        """
        type: Dataplane
        mesh: default
        name: %s
        networking:
          address: 10.0.0.2
          gateway:
            type: %s
            tags: {kuma.io/service: %s}
        """
            .formatted(name, type, service));
  }

  private static Resource<Dataplane> dataplane(String yaml) {
    return ResourceCodec.instance()
        .<Dataplane>decode(
            yaml.getBytes(StandardCharsets.UTF_8), Format.YAML, ResourceType.DATAPLANE)
        .toResource(ResourceType.DATAPLANE);
  }

  static DiscoverySubscription connected(String kumaDp, String envoy) {
    return new DiscoverySubscription(
        "s-1", "cp-1", NOW.minusSeconds(5), null, null, version(kumaDp, envoy), 0);
  }

  private static DiscoverySubscription disconnected(String kumaDp, String envoy) {
    return new DiscoverySubscription(
        "s-1", "cp-1", NOW.minusSeconds(5), NOW, null, version(kumaDp, envoy), 0);
  }

  private static DataplaneInsight.Version version(String kumaDp, String envoy) {
    return new DataplaneInsight.Version(
        new DataplaneInsight.Version.KumaDp(kumaDp, null, null, null, null),
        new DataplaneInsight.Version.Envoy(envoy, null, null),
        null);
  }

  private Map<String, String> fields(String key) {
    Response reply = await(redis.client().send(Request.cmd(Command.HGETALL).arg(key)));
    Map<String, String> out = new java.util.HashMap<>();
    if (reply.getDelegate().isMap()) {
      reply.getKeys().forEach(field -> out.put(field, reply.get(field).toString()));
    } else {
      for (int i = 0; i + 1 < reply.size(); i += 2) {
        out.put(reply.get(i).toString(), reply.get(i + 1).toString());
      }
    }
    return out;
  }

  private long hashSize(String key) {
    return await(redis.client().send(Request.cmd(Command.HLEN).arg(key))).toLong();
  }

  private boolean exists(String key) {
    return await(redis.client().send(Request.cmd(Command.EXISTS).arg(key))).toInteger() == 1;
  }

  private long ttl(String key) {
    return await(redis.client().send(Request.cmd(Command.TTL).arg(key))).toLong();
  }

  private List<String> keysMatching(String pattern) {
    Response reply = await(redis.client().send(Request.cmd(Command.KEYS).arg(pattern)));
    List<String> out = new java.util.ArrayList<>();
    reply.forEach(item -> out.add(item.toString()));
    return out;
  }

  private static <T> T await(Uni<T> uni) {
    return uni.await().atMost(Duration.ofSeconds(10));
  }
}

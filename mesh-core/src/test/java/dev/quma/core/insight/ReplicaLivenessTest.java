package dev.quma.core.insight;

import static dev.quma.core.testing.Fixtures.dataplane;
import static dev.quma.core.testing.Fixtures.mesh;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.core.insight.DataplaneInsight.DiscoverySubscription;
import dev.quma.core.insight.Heartbeats.DeadClose;
import dev.quma.core.lease.Fence;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.StoreSettings;
import dev.quma.testing.PrivateRedis;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A subscription counts as open only while its replica is live, wherever it is read: the close
 * script, the reader (API, deregistration, dumps) and the lifecycle worker's dead-replica close,
 * against a real Redis.
 */
class ReplicaLivenessTest {
  @RegisterExtension static PrivateRedis redis = new PrivateRedis();

  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);
  private static final Duration ALIVE_FOR = Duration.ofSeconds(3);

  /** A replica that crashed a minute ago: its last heartbeat ran out long since. */
  private static final ReplicaRun CRASHED =
      new ReplicaRun("xds-a", NOW.minusSeconds(3600).toEpochMilli(), ALIVE_FOR);

  private static final ReplicaRun LIVE =
      new ReplicaRun("xds-b", NOW.minusSeconds(600).toEpochMilli(), Duration.ofMinutes(10));

  private ResourceStore store;
  private InsightWriter writer;
  private InsightReader insights;
  private Heartbeats heartbeats;
  private Departures departures;

  @BeforeEach
  void meshWithDataplanes() {
    store = new ResourceStore(redis.client(), StoreSettings.DEFAULTS);
    writer = new InsightWriter(redis.client(), store.keys());
    insights = new InsightReader(redis.client(), store.keys());
    heartbeats = new Heartbeats(redis.client(), store.keys());
    departures = new Departures(redis.client(), store.keys());
    await(store.create(mesh("default")));
    await(store.create(dataplane("default", "web-1", "web", "10.0.0.1", 80)));
    await(store.create(dataplane("default", "web-2", "web", "10.0.0.2", 80)));
  }

  @Test
  void anOpenSubscriptionOfACrashedReplicaReadsAsClosed() {
    Instant crashedAt = NOW.minusSeconds(60);
    await(
        writer.open(
            "default", "web-1", subscription("a-1", CRASHED, crashedAt), crashedAt, CRASHED));

    DataplaneInsight read = await(insights.get("default", "web-1"));

    assertThat(read.online()).as("online").isFalse();
    assertThat(read.subscriptions().get(0).disconnectTime())
        .as("closed when its replica's heartbeat ran out")
        .isEqualTo(crashedAt.plus(ALIVE_FOR));
  }

  @Test
  void aSubscriptionOfAReplicasEarlierRunReadsAsClosed() {
    Instant firstRun = NOW.minusSeconds(120);
    ReplicaRun before = new ReplicaRun("xds-c", firstRun.toEpochMilli(), Duration.ofMinutes(10));
    ReplicaRun restarted = new ReplicaRun("xds-c", NOW.toEpochMilli(), Duration.ofMinutes(10));
    await(writer.open("default", "web-1", subscription("c-1", before, firstRun), firstRun, before));
    // The new run serves another proxy of the mesh, and heartbeats it.
    await(writer.open("default", "web-2", subscription("c-2", restarted, NOW), NOW, restarted));
    await(writer.heartbeat(Map.of("default", List.of("web-2")), NOW, restarted));

    assertThat(await(insights.get("default", "web-1")).online()).isFalse();
    assertThat(await(insights.get("default", "web-2")).online()).isTrue();
  }

  @Test
  void aProxyThatFailedOverAndLeftIsOfflineAndDeparted() {
    Instant crashedAt = NOW.minusSeconds(60);
    await(
        writer.open(
            "default", "web-1", subscription("a-1", CRASHED, crashedAt), crashedAt, CRASHED));
    DiscoverySubscription onB = subscription("b-1", LIVE, NOW.minusSeconds(30));
    await(writer.open("default", "web-1", onB, NOW.minusSeconds(30), LIVE));

    await(writer.close("default", "web-1", closed(onB, NOW), Departure.Kind.LEFT));

    DataplaneInsight read = await(insights.get("default", "web-1"));
    assertThat(read.online()).isFalse();
    assertThat(read.subscriptions()).allSatisfy(s -> assertThat(s.disconnectTime()).isNotNull());
    assertThat(await(heartbeats.onlineButSilentSince("default", NOW.plusSeconds(1), 10)))
        .as("left the online set")
        .isEmpty();
    assertThat(await(departures.of("default", List.of("web-1"))))
        .containsEntry("web-1", new Departure(Departure.Kind.LEFT, NOW.toEpochMilli()));
  }

  @Test
  void theWorkerClosesWhatACrashedReplicaLeftOpenAndNothingLive() {
    Instant crashedAt = NOW.minusSeconds(60);
    await(
        writer.open(
            "default", "web-1", subscription("a-1", CRASHED, crashedAt), crashedAt, CRASHED));
    // web-2's replica is live, but its heartbeat in the online set is as old as web-1's.
    await(writer.open("default", "web-2", subscription("b-2", LIVE, crashedAt), crashedAt, LIVE));

    List<String> stale =
        await(heartbeats.onlineButSilentSince("default", NOW.minusSeconds(30), 10));
    assertThat(stale).containsExactlyInAnyOrder("web-1", "web-2");
    List<DeadClose> outcomes =
        await(heartbeats.closeDead("default", List.of("web-1", "web-2"), NOW, new Fence("s", 1)));

    assertThat(outcomes).containsExactly(DeadClose.CLOSED, DeadClose.LIVE);
    assertThat(await(departures.of("default", List.of("web-1", "web-2"))))
        .containsEntry("web-1", new Departure(Departure.Kind.LOST, NOW.toEpochMilli()))
        .containsEntry("web-2", null);
    DataplaneInsight web1 = await(insights.get("default", "web-1"));
    assertThat(web1.subscriptions().get(0).disconnectTime()).isEqualTo(NOW);
    assertThat(await(insights.get("default", "web-2")).online()).isTrue();
    assertThat(await(heartbeats.onlineButSilentSince("default", NOW, 10))).containsExactly("web-2");
  }

  private static DiscoverySubscription subscription(String id, ReplicaRun run, Instant connected) {
    return new DiscoverySubscription(id, run.instanceId(), connected, null, null, null, 0);
  }

  private static DiscoverySubscription closed(DiscoverySubscription open, Instant at) {
    return new DiscoverySubscription(
        open.id(), open.controlPlaneInstanceId(), open.connectTime(), at, null, null, 0);
  }

  private static <T> T await(Uni<T> uni) {
    return uni.await().atMost(Duration.ofSeconds(10));
  }
}

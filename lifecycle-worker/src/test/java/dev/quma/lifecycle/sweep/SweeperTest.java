package dev.quma.lifecycle.sweep;

import static dev.quma.lifecycle.testing.Fleet.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.core.events.ChangeEvent;
import dev.quma.core.events.ChangeStream;
import dev.quma.core.insight.DataplaneInsight;
import dev.quma.core.insight.Departure;
import dev.quma.core.insight.Departures;
import dev.quma.core.insight.Heartbeats;
import dev.quma.core.insight.InsightReader;
import dev.quma.core.insight.InsightWriter;
import dev.quma.core.insight.ReplicaRun;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.StoreSettings;
import dev.quma.lifecycle.config.LifecycleSettings;
import dev.quma.lifecycle.lease.SweepLease;
import dev.quma.lifecycle.testing.Fleet;
import dev.quma.lifecycle.testing.TestLease;
import dev.quma.local.LocalRedis;
import dev.quma.testing.MutableClock;
import dev.quma.testing.PrivateRedis;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sweeps against a real Redis, with time moved by hand; Kuma's default durations. */
class SweeperTest {
  @RegisterExtension static PrivateRedis redis = new PrivateRedis();

  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00.000Z");
  private static final Duration IDLE = Duration.ofMinutes(5);
  private static final Duration CLEANUP = Duration.ofHours(72);

  private final MutableClock clock = new MutableClock(T0);
  private ResourceStore store;
  private Fleet fleet;

  @BeforeEach
  void defaultMesh() {
    store = new ResourceStore(redis.client(), StoreSettings.DEFAULTS, clock);
    fleet =
        new Fleet(
            store,
            new InsightWriter(redis.client(), store.keys()),
            new InsightReader(redis.client(), store.keys(), clock));
    fleet.mesh("default");
  }

  @Test
  void aProxyThatVanishesIsOfflineAfterTheIdleTimeoutAndGoneAfterTheCleanupAge() {
    Sweeper sweeper = sweeper(settings(true, 100), TestLease.held(1));
    fleet.direct("default", "vanished");
    fleet.direct("default", "healthy");
    fleet.connected("default", "vanished", T0, T0);
    fleet.connected("default", "healthy", T0, T0);

    // 4m59s without a heartbeat: still online
    at(IDLE.minusSeconds(1), sweeper, "healthy");
    assertThat(fleet.insight("default", "vanished").online()).isTrue();

    SweepReport offline = at(IDLE.plusSeconds(1), sweeper, "healthy");
    assertThat(offline.markedOffline()).isEqualTo(1);
    assertThat(fleet.insight("default", "vanished").online()).isFalse();
    assertThat(fleet.insight("default", "vanished").subscriptions().get(0).disconnectTime())
        .as("closed when the sweep saw it, as Kuma's finalizer does")
        .isEqualTo(T0.plus(IDLE).plusSeconds(1));
    assertThat(fleet.insight("default", "healthy").online()).isTrue();

    assertThat(at(CLEANUP.minusSeconds(1), sweeper, "healthy").deleted()).isZero();
    assertThat(fleet.exists("default", "vanished")).isTrue();

    SweepReport cleanup = at(CLEANUP.plusSeconds(1), sweeper, "healthy");
    assertThat(cleanup.deleted()).isEqualTo(1);
    assertThat(fleet.exists("default", "vanished")).isFalse();
    assertThat(fleet.exists("default", "healthy")).isTrue();
    assertThat(fleet.insight("default", "healthy").online())
        .as("a proxy that kept heartbeating is never touched")
        .isTrue();
    List<ChangeEvent> events =
        await(
            new ChangeStream(redis.client(), store.keys())
                .readMesh("default", ChangeStream.BEGINNING, 100));
    assertThat(events.get(events.size() - 1))
        .as("the delete went through the store, so the xDS tier hears of it")
        .extracting(ChangeEvent::op, ChangeEvent::name)
        .containsExactly(ChangeEvent.Op.DELETE, "vanished");
  }

  @Test
  void aProxyThatReconnectsBetweenTheOfflineMarkAndTheCleanupIsKept() {
    Sweeper sweeper = sweeper(settings(true, 100), TestLease.held(1));
    fleet.direct("default", "returning");
    fleet.direct("default", "returned-and-left");
    fleet.connected("default", "returning", T0, T0);
    fleet.connected("default", "returned-and-left", T0, T0);
    assertThat(at(IDLE.plusSeconds(1), sweeper).markedOffline()).isEqualTo(2);

    Instant back = T0.plus(Duration.ofHours(70));
    fleet.connected("default", "returning", back, T0.plus(CLEANUP)); // heartbeating again
    fleet.connected("default", "returned-and-left", back, back);
    fleet.disconnected("default", "returned-and-left", back, back.plusSeconds(600));

    SweepReport report = at(CLEANUP.plusSeconds(1), sweeper);
    assertThat(report.deleted()).isZero();
    assertThat(fleet.exists("default", "returning")).isTrue();
    assertThat(fleet.exists("default", "returned-and-left"))
        .as("the cleanup age counts from its last heartbeat")
        .isTrue();
    assertThat(fleet.insight("default", "returning").online()).isTrue();

    assertThat(at(Duration.ofHours(70 + 72).plusMinutes(11), sweeper).deleted())
        .as("gone once it was quiet for the cleanup age since it left again")
        .isEqualTo(1);
    assertThat(fleet.exists("default", "returned-and-left")).isFalse();
    assertThat(fleet.exists("default", "returning")).isTrue();
    assertThat(fleet.insight("default", "returning").online())
        .as("quiet since 72h: Offline now, deleted only 72h after that")
        .isFalse();
  }

  @Test
  void indirectDataplanesAreDeletedByDefaultAndKeptWhenCleanupIndirectIsOff() {
    for (String name : List.of("direct-1", "indirect-1")) {
      if (name.startsWith("direct")) {
        fleet.direct("default", name);
      } else {
        fleet.indirect("default", name);
      }
      fleet.connected("default", name, T0, T0);
      fleet.disconnected("default", name, T0, T0.plusSeconds(10));
    }
    fleet.indirect("default", "indirect-2");
    fleet.connected("default", "indirect-2", T0, T0);
    fleet.disconnected("default", "indirect-2", T0, T0.plusSeconds(10));

    Sweeper keepsIndirect = sweeper(settings(false, 100), TestLease.held(1));
    SweepReport kept = at(CLEANUP.plusMinutes(1), keepsIndirect);
    assertThat(kept.deleted()).isEqualTo(1);
    assertThat(kept.kept(KeptReason.INDIRECT)).isEqualTo(2);
    assertThat(fleet.exists("default", "direct-1")).isFalse();
    assertThat(fleet.exists("default", "indirect-1")).isTrue();
    assertThat(at(CLEANUP.multipliedBy(10), keepsIndirect).kept(KeptReason.INDIRECT))
        .as("kept however long they stay offline")
        .isEqualTo(2);
    assertThat(fleet.exists("default", "indirect-2")).isTrue();

    Sweeper kumasDefault = sweeper(settings(true, 100), TestLease.held(2));
    assertThat(at(CLEANUP.multipliedBy(10), kumasDefault).deleted()).isEqualTo(2);
    assertThat(fleet.exists("default", "indirect-1")).isFalse();
    assertThat(fleet.exists("default", "indirect-2")).isFalse();
  }

  @Test
  void dataplanesThatNeverConnectedAreNeverSwept() {
    fleet.indirect("default", "registered-only");
    fleet.direct("default", "direct-never-connected");
    SweepReport report =
        at(CLEANUP.multipliedBy(100), sweeper(settings(true, 100), TestLease.held(1)));
    assertThat(report.markedOffline()).isZero();
    assertThat(report.deleted()).isZero();
    assertThat(report.batches()).as("nothing to range over: no batch at all").isZero();
    assertThat(fleet.exists("default", "registered-only")).isTrue();
    assertThat(fleet.exists("default", "direct-never-connected")).isTrue();
  }

  @Test
  void everyMeshIsSweptInBoundedBatchesAndAStoppedSweepIsFinishedByTheNext() {
    fleet.mesh("payments");
    for (int i = 0; i < 95; i++) {
      String mesh = i % 3 == 0 ? "payments" : "default";
      fleet.direct(mesh, "idle-" + i);
      fleet.connected(mesh, "idle-" + i, T0, T0);
    }
    for (int i = 0; i < 30; i++) {
      fleet.direct("default", "old-" + i);
      fleet.connected("default", "old-" + i, T0, T0);
      fleet.disconnected("default", "old-" + i, T0, T0.minus(CLEANUP));
    }
    clock.advance(IDLE.plusSeconds(1));

    // The lease is lost after the start check plus three batches.
    SweepReport stopped = await(sweeper(settings(true, 20), TestLease.lostAfter(1, 4)).sweep());
    assertThat(stopped.outcome()).isEqualTo(SweepReport.Outcome.INTERRUPTED);
    assertThat(stopped.detail()).contains("lease was lost");
    assertThat(stopped.batches()).isEqualTo(3);

    SweepReport rest = await(sweeper(settings(true, 20), TestLease.held(2)).sweep());
    assertThat(rest.outcome()).isEqualTo(SweepReport.Outcome.COMPLETED);
    assertThat(stopped.markedOffline() + rest.markedOffline())
        .as("each idle dataplane marked exactly once across the two sweeps")
        .isEqualTo(95);
    assertThat(stopped.deleted() + rest.deleted()).isEqualTo(30);
    assertThat(rest.meshes()).isEqualTo(2);
    for (int i = 0; i < 95; i++) {
      String mesh = i % 3 == 0 ? "payments" : "default";
      assertThat(fleet.insight(mesh, "idle-" + i).online()).isFalse();
    }
    SweepReport nothingLeft = await(sweeper(settings(true, 20), TestLease.held(2)).sweep());
    assertThat(nothingLeft.markedOffline() + nothingLeft.deleted()).isZero();
  }

  @Test
  void aSweeperFencedOutByANewerTokenWritesNothingAndLetsItsLeaseGo() {
    fleet.direct("default", "first");
    fleet.direct("default", "second");
    fleet.connected("default", "first", T0, T0);
    clock.advance(IDLE.plusSeconds(1));
    assertThat(await(sweeper(settings(true, 100), TestLease.held(5)).sweep()).markedOffline())
        .isEqualTo(1);
    fleet.connected("default", "second", T0, T0);

    TestLease paused = TestLease.held(4); // lost its lease while paused; token 5 swept since
    SweepReport report = await(sweeper(settings(true, 100), paused).sweep());

    assertThat(report.outcome()).isEqualTo(SweepReport.Outcome.INTERRUPTED);
    assertThat(report.detail()).contains("fenced out in mesh default");
    assertThat(report.markedOffline()).isZero();
    assertThat(fleet.insight("default", "second").online()).isTrue();
    assertThat(paused.fencedOutIn()).containsExactly("default");
  }

  @Test
  void theRedisWorkOfASweepDoesNotGrowWithTheHealthyDataplanes() {
    for (int i = 0; i < 10; i++) {
      fleet.direct("default", "stale-" + i);
    }
    redisCommandsOfOneSweep(
        0); // loads the scripts into Redis' cache (a NOSCRIPT round the first time)
    long withFewHealthy = redisCommandsOfOneSweep(50);
    long withManyHealthy = redisCommandsOfOneSweep(1_000);
    // About 25 commands per stale dataplane: the Offline mark or the delete, and the mesh's
    // dataplane counters that follow it in the same script (with its probe results).
    assertThat(withManyHealthy)
        .as("commands Redis ran, inside scripts included")
        .isEqualTo(withFewHealthy)
        .isLessThan(275);
  }

  /** Adds healthy proxies up to {@code healthy}, makes the ten stale ones stale, sweeps once. */
  private long redisCommandsOfOneSweep(int healthy) {
    for (int i = 0; i < healthy; i++) {
      fleet.direct("default", "healthy-" + i);
      fleet.connected("default", "healthy-" + i, T0, clock.instant());
    }
    for (int i = 0; i < 10; i++) {
      if (!fleet.exists("default", "stale-" + i)) {
        fleet.direct("default", "stale-" + i);
      }
      Instant quiet = clock.instant().minus(i < 5 ? IDLE : CLEANUP).minusSeconds(1);
      if (i < 5) {
        fleet.connected("default", "stale-" + i, quiet, quiet);
      } else {
        fleet.disconnected("default", "stale-" + i, quiet, quiet);
      }
    }
    // The mesh's node: on a cluster, the one whose statistics count the sweep.
    String meshKey = store.keys().online("default");
    redis.onNodeOf(meshKey, "CONFIG", "RESETSTAT");
    SweepReport report = await(sweeper(settings(true, 100), TestLease.held(1)).sweep());
    assertThat(report.markedOffline()).isEqualTo(5);
    assertThat(report.deleted()).isEqualTo(5);
    String stats = redis.onNodeOf(meshKey, "INFO", "commandstats");
    long calls = 0;
    for (String line : stats.split("\r?\n")) {
      if (line.startsWith("cmdstat_") && !line.startsWith("cmdstat_config")) {
        calls += Long.parseLong(line.replaceAll("^cmdstat_[^:]+:calls=(\\d+),.*", "$1"));
      }
    }
    return calls;
  }

  @Test
  void eachSweepHasALogLineAndOneThatCannotReachRedisReportsTheFailure() {
    fleet.direct("default", "idle");
    fleet.connected("default", "idle", T0, T0);
    clock.advance(IDLE.plusSeconds(1));
    SweepReport ok = await(sweeper(settings(true, 100), TestLease.held(1)).sweep());
    assertThat(SweepLog.line(ok))
        .matches(
            "sweep 1 \\(lease token 1\\): 1 mesh, 1 marked Offline, 0 deleted, 0 kept, 1 batch,"
                + " \\d+ ms");
    assertThat(SweepLog.idle(ok)).as("a sweep that marked a proxy is not idle").isFalse();
    SweepReport nothingToDo = await(sweeper(settings(true, 100), TestLease.held(1)).sweep());
    assertThat(SweepLog.idle(nothingToDo)).as("the next one has nothing to do: DEBUG").isTrue();

    Vertx vertx = Vertx.vertx();
    try {
      Redis nobody =
          Redis.createClient(vertx, "redis://127.0.0.1:" + LocalRedis.freePort()); // not listening
      ResourceStore unreachable = new ResourceStore(nobody, StoreSettings.DEFAULTS, clock);
      SweepReport failed =
          await(
              new Sweeper(
                      unreachable,
                      new Heartbeats(nobody, unreachable.keys()),
                      TestLease.held(1),
                      clock,
                      settings(true, 100))
                  .sweep());
      assertThat(failed.outcome()).isEqualTo(SweepReport.Outcome.FAILED);
      assertThat(SweepLog.line(failed)).startsWith("sweep 1 (lease token 1) failed (");
    } finally {
      vertx.closeAndAwait();
    }
  }

  @Test
  void theSubscriptionsACrashedReplicaLeftOpenAreClosedLongBeforeTheIdleTimeout() {
    Sweeper sweeper = sweeper(settings(true, 100), TestLease.held(1));
    InsightWriter writer = new InsightWriter(redis.client(), store.keys());
    ReplicaRun crashed = new ReplicaRun("xds-a", T0.toEpochMilli(), Duration.ofSeconds(30));
    ReplicaRun live = new ReplicaRun("xds-b", T0.toEpochMilli(), Duration.ofSeconds(60));
    fleet.direct("default", "stranded");
    fleet.direct("default", "served");
    await(writer.open("default", "stranded", subscription("a-1", "xds-a"), T0, crashed));
    await(writer.open("default", "served", subscription("b-1", "xds-b"), T0, live));

    // xds-a died at T0; xds-b heartbeats its proxy until a minute and a half later.
    clock.advance(Duration.ofSeconds(90));
    await(writer.heartbeat(Map.of("default", List.of("served")), clock.instant(), live));
    // ... then stalls for longer than the stale heartbeat, but its entry still vouches for it.
    clock.advance(Duration.ofSeconds(31));
    SweepReport report = await(sweeper.sweep());

    assertThat(report.markedOffline()).as("nothing waited for the idle timeout").isZero();
    assertThat(fleet.insight("default", "stranded").online()).isFalse();
    assertThat(fleet.insight("default", "stranded").subscriptions().get(0).disconnectTime())
        .isEqualTo(clock.instant());
    assertThat(
            await(
                new Departures(redis.client(), store.keys())
                    .of("default", List.of("stranded", "served"))))
        .containsEntry(
            "stranded", new Departure(Departure.Kind.LOST, clock.instant().toEpochMilli()))
        .containsEntry("served", null);
    assertThat(fleet.insight("default", "served").online()).isTrue();
  }

  private static DataplaneInsight.DiscoverySubscription subscription(String id, String replica) {
    return new DataplaneInsight.DiscoverySubscription(id, replica, T0, null, null, null, 0);
  }

  /** Moves time to {@code T0 + sinceT0}; the named proxies heartbeat then; then one sweep. */
  private SweepReport at(Duration sinceT0, Sweeper sweeper, String... heartbeating) {
    clock.advance(Duration.between(clock.instant(), T0.plus(sinceT0)));
    for (String name : heartbeating) {
      fleet.connected("default", name, T0, clock.instant());
    }
    return await(sweeper.sweep());
  }

  private Sweeper sweeper(LifecycleSettings settings, SweepLease lease) {
    return new Sweeper(store, new Heartbeats(redis.client(), store.keys()), lease, clock, settings);
  }

  private static LifecycleSettings settings(boolean cleanupIndirect, int batchSize) {
    return new LifecycleSettings(
        IDLE,
        CLEANUP,
        cleanupIndirect,
        Duration.ofSeconds(30),
        batchSize,
        Duration.ofSeconds(30),
        Duration.ofSeconds(10));
  }
}

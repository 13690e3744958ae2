package dev.quma.lifecycle;

import static dev.quma.testing.Eventually.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.core.insight.Heartbeats;
import dev.quma.core.insight.InsightReader;
import dev.quma.core.insight.InsightWriter;
import dev.quma.core.lease.Lease;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.StoreSettings;
import dev.quma.lifecycle.config.LifecycleSettings;
import dev.quma.lifecycle.lease.LeaseKeeper;
import dev.quma.lifecycle.sweep.SweepReport;
import dev.quma.lifecycle.sweep.Sweeper;
import dev.quma.lifecycle.testing.Fleet;
import dev.quma.testing.PrivateRedis;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two replicas of the worker, each with its own Vert.x and Redis connections as two processes would
 * have, running the production loops against one real Redis.
 */
class TwoWorkersTest {
  @RegisterExtension static PrivateRedis redis = new PrivateRedis();

  private static final Duration TTL = Duration.ofMillis(600);
  private static final Duration RENEW = Duration.ofMillis(150);
  private static final Duration IDLE = Duration.ofSeconds(1);

  private final List<Sweep> sweeps = new CopyOnWriteArrayList<>();
  private final List<Replica> replicas = new ArrayList<>();
  private Fleet fleet;

  record Sweep(String replica, SweepReport report) {}

  @BeforeEach
  void defaultMesh() {
    ResourceStore store = new ResourceStore(redis.client(), StoreSettings.DEFAULTS);
    fleet =
        new Fleet(
            store,
            new InsightWriter(redis.client(), store.keys()),
            new InsightReader(redis.client(), store.keys()));
    fleet.mesh("default");
  }

  @AfterEach
  void stopReplicas() {
    replicas.forEach(Replica::kill);
  }

  @Test
  void exactlyOneSweepsAndKillingTheLeaderHandsOverWithinALeasePeriod() {
    Replica a = start("a", settings(TTL, RENEW));
    Replica b = start("b", settings(TTL, RENEW));
    awaitUntil("one replica leads", Duration.ofSeconds(5), () -> a.isLeader() || b.isLeader());
    Replica leader = a.isLeader() ? a : b;
    Replica follower = leader == a ? b : a;

    long end = System.nanoTime() + Duration.ofSeconds(1).toNanos();
    while (System.nanoTime() < end) {
      assertThat(a.isLeader() && b.isLeader()).as("never two leaders").isFalse();
      assertThat(follower.isLeader()).isFalse();
      pause(5);
    }
    proxyWentQuiet("p-1");
    awaitUntil(
        "the leader marks p-1 Offline",
        Duration.ofSeconds(5),
        () -> !fleet.insight("default", "p-1").online());
    assertThat(sweeps).isNotEmpty();
    assertThat(sweeps).allMatch(s -> s.replica().equals(leader.name), "only the leader sweeps");
    long leaderToken = leader.keeper.token();

    long killedAt = System.nanoTime();
    leader.kill(); // no release: the lease has to expire
    awaitUntil("the follower takes over", Duration.ofSeconds(5), follower::isLeader);
    Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);
    assertThat(takeover)
        .as("taken over within one lease period and one renewal try (%s ms)", takeover.toMillis())
        .isLessThanOrEqualTo(TTL.plus(RENEW).plusMillis(400));
    assertThat(follower.keeper.token()).isGreaterThan(leaderToken);

    proxyWentQuiet("p-2");
    awaitUntil(
        "the new leader marks p-2 Offline",
        Duration.ofSeconds(5),
        () -> !fleet.insight("default", "p-2").online());
    // The mark is visible in Redis a moment before the sweep's report is handed over.
    awaitUntil(
        "the new leader's sweep reports p-2",
        Duration.ofSeconds(5),
        () ->
            sweeps.stream()
                .anyMatch(
                    s -> s.replica().equals(follower.name) && s.report().markedOffline() == 1));

    List<Sweep> inOrder = new ArrayList<>(sweeps);
    inOrder.sort(Comparator.comparing(s -> s.report().startedAt()));
    for (int i = 1; i < inOrder.size(); i++) {
      SweepReport before = inOrder.get(i - 1).report();
      SweepReport next = inOrder.get(i).report();
      assertThat(next.startedAt())
          .as("sweep %s started before %s ended", next.number(), before.number())
          .isAfterOrEqualTo(before.finishedAt());
    }
    assertThat(inOrder.size()).as("sweeps ran every 50 ms").isGreaterThan(10);
  }

  @Test
  void aLeaderThatStopsGracefullyHandsOverWithoutWaitingForTheLeaseToExpire() {
    Duration longLease = Duration.ofSeconds(10);
    Replica a = start("a", settings(longLease, RENEW));
    Replica b = start("b", settings(longLease, RENEW));
    awaitUntil("one replica leads", Duration.ofSeconds(5), () -> a.isLeader() || b.isLeader());
    Replica leader = a.isLeader() ? a : b;
    Replica follower = leader == a ? b : a;

    long stoppedAt = System.nanoTime();
    leader.worker.stop().await().atMost(Duration.ofSeconds(5));
    awaitUntil("the follower takes over", Duration.ofSeconds(5), follower::isLeader);
    Duration takeover = Duration.ofNanos(System.nanoTime() - stoppedAt);
    assertThat(takeover)
        .as(
            "the released lease is taken at the next try (%s ms), not after 10 s",
            takeover.toMillis())
        .isLessThan(Duration.ofSeconds(2));
    assertThat(leader.isLeader()).isFalse();
  }

  private void proxyWentQuiet(String name) {
    Instant longAgo = Instant.now().minus(IDLE).minusSeconds(1);
    fleet.direct("default", name);
    fleet.connected("default", name, longAgo, longAgo);
  }

  private Replica start(String name, LifecycleSettings settings) {
    Replica replica = new Replica(name, settings, sweeps);
    replicas.add(replica);
    replica.worker.start();
    return replica;
  }

  private static LifecycleSettings settings(Duration ttl, Duration renew) {
    return new LifecycleSettings(
        IDLE, Duration.ofHours(1), true, Duration.ofMillis(50), 100, ttl, renew);
  }

  /** One replica: its own Vert.x and Redis connections, the production classes. */
  static final class Replica {
    final String name;
    final Vertx vertx = Vertx.vertx();
    final LeaseKeeper keeper;
    final LifecycleWorker worker;
    private volatile boolean killed;

    Replica(String name, LifecycleSettings settings, List<Sweep> sweeps) {
      this.name = name;
      Redis client = redis.clientOn(vertx);
      ResourceStore store = new ResourceStore(client, StoreSettings.DEFAULTS);
      keeper =
          new LeaseKeeper(
              new Lease(client, store.keys(), "lifecycle-sweeper", name), settings.leaseTtl());
      Sweeper sweeper =
          new Sweeper(
              store, new Heartbeats(client, store.keys()), keeper, Clock.systemUTC(), settings);
      sweeper.onSweep(report -> sweeps.add(new Sweep(name, report)));
      worker = new LifecycleWorker(vertx, keeper, sweeper, settings);
    }

    boolean isLeader() {
      return !killed && worker.isLeader();
    }

    /** Like a crashed process: timers and connections gone, nothing released. */
    void kill() {
      if (!killed) {
        killed = true;
        vertx.closeAndAwait();
      }
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

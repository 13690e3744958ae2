package dev.quma.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A master failover under load, measured: writers create new records in several meshes (each mesh
 * in one hash slot) as fast as the store answers; the master of the first mesh is killed (SIGKILL);
 * its replica is promoted by the cluster. The drill answers how long the killed mesh's writes, and
 * its follower, took to work again, and how many acknowledged writes the store lost. The test and
 * {@code bin/bench failover} run it, on the store and on api-service.
 */
public final class FailoverDrill {
  /** What the drill writes to and reads from; every call blocks. */
  public interface Target {
    /**
     * Creates the record {@code name} in {@code mesh}, returning once the store acknowledged it;
     * throws when it did not (the message says why).
     */
    void write(String mesh, String name);

    /** Whether the store has the record now. */
    boolean exists(String mesh, String name);

    /** Whether the follower (what follows the change streams) has seen the record. */
    boolean followed(String mesh, String name);
  }

  /**
   * @param writers concurrent writers
   * @param before writing before the kill
   * @param after writing once the killed mesh's writes work again
   * @param giveUp how long after the kill the killed mesh may stay unwritable before the drill ends
   *     as not recovered
   */
  public record Plan(
      int writers,
      Duration before,
      Duration after,
      Duration giveUp,
      boolean restartKilled,
      Duration laggingReplica) {
    /** A clean kill: the replica had every write the master took. */
    public static Plan cleanKill(
        int writers, Duration before, Duration after, Duration giveUp, boolean restartKilled) {
      return new Plan(writers, before, after, giveUp, restartKilled, Duration.ZERO);
    }
  }

  /**
   * @param acknowledged writes the store acknowledged
   * @param acknowledgedPerSecondBefore the rate of acknowledged writes before the kill
   * @param failed writes that failed (each one tried once: not acknowledged, not counted as lost)
   * @param lost acknowledged writes the store no longer has after the failover
   * @param lostInKilledMesh of them, in the killed master's mesh
   * @param promotionMillis from the kill to a replica serving the killed master's slots
   * @param writeRecoveryMillis from the kill to the first acknowledged write of the killed mesh
   *     (-1: none before giving up)
   * @param followerRecoveryMillis from the kill to the follower having that write (-1: never)
   * @param otherMeshesGapMillis the longest time after the kill without an acknowledged write in
   *     the meshes whose master lived (how far the failover reached beyond its shard)
   * @param notFollowed acknowledged writes kept by the store that the follower never saw
   * @param failures the first few distinct reasons writes failed for
   */
  public record Result(
      int acknowledged,
      long acknowledgedPerSecondBefore,
      int failed,
      int lost,
      int lostInKilledMesh,
      long promotionMillis,
      long writeRecoveryMillis,
      long followerRecoveryMillis,
      long otherMeshesGapMillis,
      int notFollowed,
      int killedPort,
      int promotedPort,
      List<String> failures) {
    public boolean recovered() {
      return writeRecoveryMillis >= 0 && followerRecoveryMillis >= 0;
    }

    public Map<String, Object> asMap() {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("acknowledged_writes", acknowledged);
      map.put("acknowledged_per_second_before_kill", acknowledgedPerSecondBefore);
      map.put("failed_writes", failed);
      map.put("lost_acknowledged_writes", lost);
      map.put("lost_in_killed_mesh", lostInKilledMesh);
      map.put("promotion_ms", promotionMillis);
      map.put("write_recovery_ms", writeRecoveryMillis);
      map.put("follower_recovery_ms", followerRecoveryMillis);
      map.put("other_meshes_longest_gap_ms", otherMeshesGapMillis);
      map.put("acknowledged_not_followed", notFollowed);
      map.put("recovered", recovered());
      map.put("write_failures_seen", failures);
      return map;
    }
  }

  private record Ack(String mesh, String name, long atNanos) {}

  private final LocalRedisCluster cluster;
  private final List<String> meshes;
  private final Target target;

  /** {@code meshes}: the first one's master is killed; the others should live on other masters. */
  public FailoverDrill(LocalRedisCluster cluster, List<String> meshes, Target target) {
    this.cluster = cluster;
    this.meshes = List.copyOf(meshes);
    this.target = target;
  }

  /**
   * Meshes named {@code prefix-N}, one on each master of the cluster (the first one's master is the
   * one the drill kills).
   */
  public static List<String> oneMeshPerMaster(LocalRedisCluster cluster, String prefix) {
    Map<Integer, String> byMaster = new LinkedHashMap<>();
    int masters = cluster.masters().size();
    for (int i = 0; byMaster.size() < masters && i < 10_000; i++) {
      String mesh = prefix + "-" + i;
      byMaster.putIfAbsent(cluster.masterOf("{" + mesh + "}").port(), mesh);
    }
    return List.copyOf(byMaster.values());
  }

  public Result run(Plan plan) throws InterruptedException {
    String killedMesh = meshes.get(0);
    LocalRedisCluster.Node victim = cluster.masterOf("{" + killedMesh + "}");
    long slot = cluster.slotOf("{" + killedMesh + "}");
    ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
    AtomicInteger failed = new AtomicInteger();
    Set<String> failures = ConcurrentHashMap.newKeySet();
    AtomicInteger sequence = new AtomicInteger();
    AtomicLong killedAt = new AtomicLong(Long.MAX_VALUE);
    // The killed mesh's first write sent after the kill and acknowledged.
    AtomicReference<Ack> firstAfterKill = new AtomicReference<>();
    CountDownLatch stop = new CountDownLatch(1);
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < plan.writers(); w++) {
      Thread writer =
          Thread.ofPlatform()
              .name("failover-writer-" + w)
              .start(
                  () -> {
                    while (stop.getCount() > 0) {
                      int n = sequence.getAndIncrement();
                      String mesh = meshes.get(n % meshes.size());
                      String name = "dp-" + n;
                      long started = System.nanoTime();
                      try {
                        target.write(mesh, name);
                      } catch (RuntimeException e) {
                        failed.incrementAndGet();
                        sample(failures, e);
                        pause(20); // a failing store answers at once: do not spin
                        continue;
                      }
                      Ack ack = new Ack(mesh, name, System.nanoTime());
                      acks.add(ack);
                      if (mesh.equals(killedMesh) && started > killedAt.get()) {
                        firstAfterKill.compareAndSet(null, ack);
                      }
                    }
                  });
      writers.add(writer);
    }
    long writingSince = System.nanoTime();
    Thread.sleep(plan.before().toMillis());
    // Cut again and again: a replica reconnects and catches up from the backlog within
    // milliseconds on loopback, so one cut would not leave it behind at the kill.
    long lagUntil = System.nanoTime() + plan.laggingReplica().toNanos();
    while (System.nanoTime() < lagUntil) {
      cluster.cutReplicationLinks(victim);
      Thread.sleep(5);
    }
    long kill = System.nanoTime();
    long before = acks.size();
    killedAt.set(kill);
    cluster.kill(victim);
    LocalRedisCluster.Node promoted =
        cluster.awaitPromotionAfter(victim, slot, plan.giveUp().plusSeconds(10));
    long promotion = System.nanoTime() - kill;
    if (plan.restartKilled()) {
      cluster.restart(victim);
    }
    long deadline = kill + plan.giveUp().toNanos();
    while (firstAfterKill.get() == null && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    Ack first = firstAfterKill.get();
    long followerSeen = -1;
    if (first != null) {
      while (System.nanoTime() < deadline && followerSeen < 0) {
        if (target.followed(killedMesh, first.name())) {
          followerSeen = System.nanoTime();
        } else {
          Thread.sleep(10);
        }
      }
      Thread.sleep(plan.after().toMillis());
    }
    stop.countDown();
    for (Thread writer : writers) {
      writer.join(TimeUnit.SECONDS.toMillis(30));
    }

    int lost = 0;
    int lostInKilled = 0;
    List<Ack> kept = new ArrayList<>();
    for (Ack ack : acks) {
      if (target.exists(ack.mesh(), ack.name())) {
        kept.add(ack);
      } else {
        lost++;
        if (ack.mesh().equals(killedMesh)) {
          lostInKilled++;
        }
      }
    }
    int notFollowed = countNotFollowed(kept, Duration.ofSeconds(15));
    return new Result(
        acks.size(),
        Math.round(before / ((kill - writingSince) / 1e9)),
        failed.get(),
        lost,
        lostInKilled,
        TimeUnit.NANOSECONDS.toMillis(promotion),
        first == null ? -1 : TimeUnit.NANOSECONDS.toMillis(first.atNanos() - kill),
        followerSeen < 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(followerSeen - kill),
        TimeUnit.NANOSECONDS.toMillis(longestGap(acks, killedMesh, kill)),
        notFollowed,
        victim.port(),
        promoted.port(),
        List.copyOf(failures));
  }

  private static final int FAILURE_SAMPLES = 8;

  /** Keeps the first few distinct failure messages (numbers and ports aside). */
  private static void sample(Set<String> failures, RuntimeException e) {
    if (failures.size() < FAILURE_SAMPLES) {
      String message = String.valueOf(e.getMessage()).replaceAll("\\d+", "N");
      failures.add(message.length() > 300 ? message.substring(0, 300) : message);
    }
  }

  /** The longest time from {@code kill} on between acknowledged writes outside {@code mesh}. */
  private static long longestGap(Iterable<Ack> acks, String mesh, long kill) {
    List<Long> times = new ArrayList<>();
    for (Ack ack : acks) {
      if (!ack.mesh().equals(mesh) && ack.atNanos() >= kill) {
        times.add(ack.atNanos());
      }
    }
    times.sort(null);
    long previous = kill;
    long longest = 0;
    for (long time : times) {
      longest = Math.max(longest, time - previous);
      previous = time;
    }
    return longest;
  }

  /** The kept writes the follower has not seen once {@code within} has passed. */
  private int countNotFollowed(List<Ack> kept, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    List<Ack> missing = new ArrayList<>(kept);
    while (true) {
      missing.removeIf(ack -> target.followed(ack.mesh(), ack.name()));
      if (missing.isEmpty() || System.nanoTime() > deadline) {
        return missing.size();
      }
      Thread.sleep(100);
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

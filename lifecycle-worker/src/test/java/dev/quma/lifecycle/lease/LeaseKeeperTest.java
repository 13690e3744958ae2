package dev.quma.lifecycle.lease;

import static dev.quma.lifecycle.testing.Fleet.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.core.lease.Fence;
import dev.quma.core.lease.Lease;
import dev.quma.core.store.Keys;
import dev.quma.testing.PrivateRedis;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LeaseKeeperTest {
  @RegisterExtension static PrivateRedis redis = new PrivateRedis();

  private final Keys keys = new Keys("quma");

  private Lease lease(String holder) {
    return new Lease(redis.client(), keys, "lifecycle-sweeper", holder);
  }

  @Test
  void anOutageIsOneStateFromTheFirstFailedTickUntilRedisAnswersAgain() {
    io.vertx.mutiny.core.Vertx vertx = io.vertx.mutiny.core.Vertx.vertx();
    int port = dev.quma.local.LocalRedis.freePort();
    try {
      io.vertx.mutiny.redis.client.Redis client =
          io.vertx.mutiny.redis.client.Redis.createClient(vertx, "redis://127.0.0.1:" + port);
      LeaseKeeper keeper =
          new LeaseKeeper(
              new Lease(client, keys, "lifecycle-sweeper", "a"), Duration.ofSeconds(30));
      await(keeper.tick()); // nothing listens: the tick fails, and says so once
      assertThat(keeper.inOutage()).isTrue();
      await(keeper.tick());
      assertThat(keeper.inOutage()).as("still the same outage, not a new one").isTrue();
      try (dev.quma.local.LocalRedis back = dev.quma.local.LocalRedis.start(port, null)) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (keeper.inOutage() && System.nanoTime() < deadline) {
          await(keeper.tick());
        }
        assertThat(keeper.inOutage()).isFalse();
        assertThat(keeper.isLeader()).isTrue();
      }
    } finally {
      vertx.closeAndAwait();
    }
  }

  @Test
  void theLeaderStopsWritingATenthOfTheLeaseBeforeItCouldExpire() {
    AtomicLong nanos = new AtomicLong();
    LeaseKeeper keeper = new LeaseKeeper(lease("a"), Duration.ofSeconds(1), nanos::get);
    AtomicInteger acquired = new AtomicInteger();
    keeper.onAcquired(acquired::incrementAndGet);

    await(keeper.tick());
    assertThat(acquired).hasValue(1);
    assertThat(keeper.fenceWhileHeld()).contains(new Fence("lifecycle-sweeper", 1));
    nanos.set(Duration.ofMillis(899).toNanos());
    assertThat(keeper.isLeader()).isTrue();
    nanos.set(Duration.ofMillis(900).toNanos());
    assertThat(keeper.isLeader()).as("past the safe part of the lease").isFalse();

    await(keeper.tick()); // renewal sent at 900 ms
    nanos.set(Duration.ofMillis(1799).toNanos());
    assertThat(keeper.isLeader()).isTrue();
    assertThat(acquired).as("a renewal is not a new acquisition").hasValue(1);
  }

  @Test
  void aLeaseThatExpiredAndWentToAnotherIsDroppedAtTheNextRenewal() {
    LeaseKeeper a = new LeaseKeeper(lease("a"), Duration.ofMillis(150));
    LeaseKeeper b = new LeaseKeeper(lease("b"), Duration.ofSeconds(30));
    await(a.tick());
    assertThat(a.token()).isEqualTo(1);

    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!b.isLeader() && System.nanoTime() < deadline) {
      await(b.tick()); // a stopped renewing (paused); its lease expires
    }
    assertThat(b.token()).isEqualTo(2);

    await(a.tick());
    assertThat(a.isLeader()).isFalse();
    assertThat(a.token()).as("dropped its grant").isZero();
    assertThat(await(lease("x").currentValue())).contains("b#2");
  }

  @Test
  void fencedOutItLetsTheLeaseGoAndItsNextTokenPassesTheFence() {
    LeaseKeeper keeper = new LeaseKeeper(lease("a"), Duration.ofSeconds(30));
    await(keeper.tick());
    assertThat(keeper.token()).isEqualTo(1);
    // the mesh saw token 9 before a Redis failover lost the epoch's increments
    await(
        redis
            .client()
            .send(Request.cmd(Command.SET).arg(keys.fence("default", "lifecycle-sweeper")).arg(9)));

    await(keeper.fencedOut("default"));
    assertThat(keeper.isLeader()).isFalse();
    assertThat(await(lease("x").currentValue())).as("released").isEmpty();

    await(keeper.tick());
    assertThat(keeper.token()).isEqualTo(10);
  }

  @Test
  void releasingStopsTheLeaderAtOnceAndFreesTheLease() {
    LeaseKeeper keeper = new LeaseKeeper(lease("a"), Duration.ofSeconds(30));
    await(keeper.tick());
    keeper.relinquish();
    assertThat(keeper.isLeader()).as("no batch starts once relinquishing").isFalse();
    await(keeper.release());
    assertThat(await(lease("x").currentValue())).isEmpty();
    await(keeper.tick());
    assertThat(keeper.isLeader()).as("a stopping keeper does not take the lease again").isFalse();
  }
}

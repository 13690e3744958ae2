package dev.quma.core.lease;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.core.store.Keys;
import dev.quma.testing.PrivateRedis;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LeaseTest {
  @RegisterExtension static PrivateRedis redis = new PrivateRedis();

  private static final Duration LONG = Duration.ofSeconds(30);
  private final Keys keys = new Keys("quma");

  private Lease lease(String holder) {
    return new Lease(redis.client(), keys, "sweeper", holder);
  }

  @Test
  void oneHolderAtATimeAndOnlyTheHolderRenewsOrReleases() {
    Lease a = lease("a");
    Lease b = lease("b");
    LeaseGrant grant = await(a.tryAcquire(LONG)).orElseThrow();
    assertThat(grant.value()).isEqualTo("a#" + grant.token());
    assertThat(grant.token()).isEqualTo(1);

    assertThat(await(b.tryAcquire(LONG))).isEmpty();
    LeaseGrant forged = new LeaseGrant("sweeper", "b#1", 1);
    assertThat(await(b.renew(forged, LONG))).isFalse();
    assertThat(await(b.release(forged))).isFalse();
    assertThat(await(a.currentValue())).contains(grant.value());

    assertThat(await(a.renew(grant, LONG))).isTrue();
    assertThat(await(a.release(grant))).isTrue();
    assertThat(await(a.currentValue())).isEmpty();
    assertThat(await(a.renew(grant, LONG))).as("a released lease is not renewed").isFalse();

    LeaseGrant next = await(b.tryAcquire(LONG)).orElseThrow();
    assertThat(next.token()).as("every acquisition takes a larger token").isEqualTo(2);
  }

  @Test
  void anExpiredLeaseGoesToTheNextCallerAndTheOldHolderCannotRenewIt() {
    Lease a = lease("a");
    Lease b = lease("b");
    LeaseGrant first = await(a.tryAcquire(Duration.ofMillis(200))).orElseThrow();

    Optional<LeaseGrant> second = Optional.empty();
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (second.isEmpty() && System.nanoTime() < deadline) {
      second = await(b.tryAcquire(LONG));
    }
    assertThat(second).as("b gets the lease once a's expired").isPresent();
    assertThat(second.get().token()).isGreaterThan(first.token());
    assertThat(await(a.renew(first, LONG))).isFalse();
    assertThat(await(a.release(first))).isFalse();
    assertThat(await(b.currentValue())).contains(second.get().value());
  }

  @Test
  void renewalKeepsTheLeaseAlivePastItsFirstExpiry() throws InterruptedException {
    Lease a = lease("a");
    Duration ttl = Duration.ofMillis(300);
    LeaseGrant grant = await(a.tryAcquire(ttl)).orElseThrow();
    for (int i = 0; i < 6; i++) {
      Thread.sleep(100);
      assertThat(await(a.renew(grant, ttl))).isTrue();
    }
    assertThat(await(lease("b").tryAcquire(ttl))).isEmpty();
  }

  @Test
  void afterAnEpochWentBackwardsCatchingUpWithAMeshGivesTheNextHolderALargerToken() {
    Lease a = lease("a");
    assertThat(await(a.catchUpWith("default"))).as("no fence in the mesh yet").isZero();
    LeaseGrant grant = await(a.tryAcquire(LONG)).orElseThrow();
    await(a.release(grant));
    // a failover lost the epoch's last increments: the mesh already saw token 7
    await(
        redis
            .client()
            .send(
                io.vertx.mutiny.redis.client.Request.cmd(io.vertx.mutiny.redis.client.Command.SET)
                    .arg(keys.fence("default", "sweeper"))
                    .arg(7)));

    assertThat(await(a.catchUpWith("default"))).isEqualTo(7);
    assertThat(await(a.tryAcquire(LONG)).orElseThrow().token()).isEqualTo(8);
    assertThat(await(a.catchUpWith("default"))).as("never moves the epoch back").isEqualTo(7);
  }

  private static <T> T await(Uni<T> uni) {
    return uni.await().atMost(Duration.ofSeconds(10));
  }
}

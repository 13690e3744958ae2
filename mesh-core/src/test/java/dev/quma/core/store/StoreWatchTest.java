package dev.quma.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.testing.PrivateRedis;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A service's watch over a real redis-server that is stopped without saving and started again empty
 * (issue 15's reproduction), or flushed under it.
 */
class StoreWatchTest {
  @RegisterExtension static PrivateRedis redis = new PrivateRedis();

  private static final Duration INTERVAL = Duration.ofMillis(100);

  private final List<String> log = new CopyOnWriteArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          log.add(record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private final AtomicInteger forgotten = new AtomicInteger();
  private final AtomicInteger recreated = new AtomicInteger();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private StoreIdentity identity;
  private StoreWatch watch;

  @BeforeEach
  void start() {
    java.util.logging.Logger.getLogger(StoreWatch.class.getName()).addHandler(capture);
    identity = new StoreIdentity(redis.client(), new Keys("quma"));
    watch = new StoreWatch(identity, INTERVAL, Clock.systemUTC());
    watch.register(
        new StoreRecovery() {
          @Override
          public String name() {
            return "the test's defaults";
          }

          @Override
          public void forget() {
            forgotten.incrementAndGet();
          }

          @Override
          public Uni<Void> recreate() {
            if (failuresLeft.getAndDecrement() > 0) {
              return Uni.createFrom().failure(new IllegalStateException("not yet"));
            }
            return redis
                .client()
                .send(
                    Request.cmd(Command.SET).arg("quma:defaults").arg(recreated.incrementAndGet()))
                .replaceWithVoid();
          }
        });
    watch.start();
    waitFor(watch::ready);
  }

  @AfterEach
  void stop() {
    watch.stop();
    java.util.logging.Logger.getLogger(StoreWatch.class.getName()).removeHandler(capture);
  }

  @Test
  void aStartIsNotAWipe() {
    assertThat(watch.storeId()).isEqualTo(identity.read().await().indefinitely());
    sleep(3 * INTERVAL.toMillis());
    assertThat(watch.wipes()).isZero();
    assertThat(forgotten).hasValue(0);
    assertThat(recreated).hasValue(0);
  }

  @Test
  void aRedisRestartedEmptyIsNoticedRecoveredAndReadyAfterwardsOnly() {
    String before = watch.storeId();

    redis.stopServer();
    waitFor(() -> !watch.ready());
    assertThat(watch.reachable()).isFalse();
    redis.startServerAgain();
    waitFor(watch::ready);

    assertThat(watch.wipes()).isEqualTo(1);
    assertThat(forgotten).hasValue(1);
    // ready only once the defaults are back in the new store
    assertThat(get("quma:defaults")).isEqualTo("1");
    assertThat(watch.storeId())
        .isNotEqualTo(before)
        .isEqualTo(identity.read().await().indefinitely());
    assertThat(count("the store is unavailable")).isEqualTo(1);
    assertThat(count("the store is back")).isEqualTo(1);
    assertThat(count("the store lost its data")).isEqualTo(1);
  }

  @Test
  void aFlushUnderARunningServiceIsAWipeToo() {
    redis.client().send(Request.cmd(Command.FLUSHALL)).await().atMost(Duration.ofSeconds(5));
    waitFor(() -> watch.wipes() == 1 && watch.ready());
    assertThat(get("quma:defaults")).isEqualTo("1");
  }

  @Test
  void aFailedRecoveryStaysNotReadyAndIsRetried() {
    failuresLeft.set(3);
    redis.client().send(Request.cmd(Command.FLUSHALL)).await().atMost(Duration.ofSeconds(5));
    waitFor(() -> watch.wipes() == 1);
    assertThat(watch.ready()).isFalse();
    waitFor(watch::ready);
    assertThat(failuresLeft.get()).isNegative();
    assertThat(get("quma:defaults")).isEqualTo("1");
    assertThat(forgotten).hasValue(1);
  }

  @Test
  void failuresSeenByTheEdgesMakeOneLinePerOutage() {
    for (int i = 0; i < 500; i++) {
      watch.unavailable(new java.net.ConnectException("Connection refused"));
    }
    assertThat(watch.ready()).isFalse();
    waitFor(watch::ready); // the next check finds it answering
    for (int i = 0; i < 500; i++) {
      watch.unavailable(new java.net.ConnectException("Connection refused"));
    }
    waitFor(watch::ready);
    assertThat(count("the store is unavailable")).isEqualTo(2);
    assertThat(count("the store is back")).isEqualTo(2);
    assertThat(watch.wipes()).isZero();
  }

  private long count(String prefix) {
    return log.stream().filter(line -> line.startsWith(prefix)).count();
  }

  private String get(String key) {
    var value = redis.client().send(Request.cmd(Command.GET).arg(key)).await().indefinitely();
    return value == null ? null : value.toString();
  }

  private static void waitFor(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 15 s");
      }
      sleep(10);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

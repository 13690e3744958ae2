package dev.quma.xds.streams;

import static dev.quma.xds.testing.DirectProxies.await;
import static dev.quma.xds.testing.DirectProxies.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.core.events.ChangeStream;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.StoreWatch;
import dev.quma.envoysim.SimulatedEnvoy;
import dev.quma.xds.testing.DirectProxies;
import dev.quma.xds.testing.Seeds;
import dev.quma.xds.testing.StoppableRedis;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: while Redis is down, the replica (its change-stream follower, its config dump listener,
 * its insight writer under connected proxies) logs one line for the outage and one when the store
 * is back: no stack trace, no line per retry or per proxy. A real redis-server is stopped for
 * several retry intervals, then started again with its data.
 */
@QuarkusTest
@TestProfile(RedisOutageLogTest.QuickChecks.class)
class RedisOutageLogTest {
  /** Its own Redis (not the module's shared one); quick checks and heartbeats, as there. */
  public static class QuickChecks extends WipedStoreTest.QuickChecks {
    @Override
    public List<TestResourceEntry> testResources() {
      return List.of(new TestResourceEntry(StoppableRedis.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
      return true;
    }
  }

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String MESH = "outage";

  @Inject ResourceStore store;
  @Inject ChangeStream changes;
  @Inject StoreWatch watch;

  private DirectProxies proxies;

  @AfterEach
  void disconnect() {
    if (proxies != null) {
      proxies.close();
    }
  }

  @Test
  void anOutageIsOneLineAndItsEndOneLine() throws Exception {
    await(store.create(Seeds.mesh(MESH)), WAIT);
    proxies = new DirectProxies(MESH, StoppableRedis.grpcPort(), store, changes, WAIT);
    SimulatedEnvoy redis1 = proxies.join("redis-1", Seeds.redis(MESH, "redis-1", "10.6.0.1"));
    SimulatedEnvoy backend =
        proxies.join("backend-1", Seeds.backend(MESH, "backend-1", "10.6.0.9"));
    waitFor(watch::ready, WAIT);

    List<LogRecord> log = new CopyOnWriteArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.INFO.intValue() && !vertxAssert(record)) {
              log.add(record);
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    root.addHandler(capture);
    try {
      StoppableRedis.stopRedis();
      waitFor(() -> !watch.reachable(), WAIT);
      Thread.sleep(6_000); // six retries of the follower and the dump listener, 60 insight flushes
      List<String> during = lines(log);
      StoppableRedis.startRedis();
      waitFor(watch::ready, WAIT);
      Thread.sleep(3_000); // the follower and the dump listener are back on their next attempt

      assertThat(during).as("while Redis is down").hasSize(1);
      assertThat(during.get(0)).contains("the store is unavailable");
      List<String> all = lines(log);
      assertThat(all).as("the outage and its end").hasSize(2);
      assertThat(all.get(1)).contains("the store is back");
      assertThat(log).as("no stack trace").allSatisfy(r -> assertThat(r.getThrown()).isNull());
    } finally {
      root.removeHandler(capture);
    }
    assertThat(redis1.closedWith()).as("the streams stay open").isNull();
    assertThat(backend.closedWith()).isNull();
  }

  /**
   * The Redis client's own {@code assert} on closing a connection twice (its {@code
   * RedisStandaloneConnection.end}): thrown only with {@code -ea}, as tests run, never in a
   * service, which runs without.
   */
  private static boolean vertxAssert(LogRecord record) {
    Throwable thrown = record.getThrown();
    return thrown instanceof AssertionError
        && thrown.getStackTrace().length > 0
        && thrown.getStackTrace()[0].getClassName().startsWith("io.vertx.redis.");
  }

  private static List<String> lines(List<LogRecord> log) {
    return log.stream()
        .map(
            r ->
                r.getLevel()
                    + " "
                    + r.getLoggerName()
                    + " "
                    + (r instanceof ExtLogRecord ext ? ext.getFormattedMessage() : r.getMessage()))
        .toList();
  }
}

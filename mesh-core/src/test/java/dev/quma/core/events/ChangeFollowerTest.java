package dev.quma.core.events;

import static dev.quma.core.testing.Fixtures.dataplane;
import static dev.quma.core.testing.Fixtures.mesh;
import static dev.quma.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.core.model.ResourceType;
import dev.quma.core.store.ListQuery;
import dev.quma.core.store.ResourceQueries;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.StoreSettings;
import dev.quma.testing.PrivateRedis;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The follower against a real Redis: it loads, then applies events in order; a stream trimmed past
 * its position, while it was behind or while it was disconnected, is loaded anew.
 */
class ChangeFollowerTest {
  @RegisterExtension static PrivateRedis redis = new PrivateRedis();
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration RETRY = Duration.ofSeconds(2);

  private ResourceStore store;
  private ChangeStream changes;
  private ChangeFollower follower;

  @BeforeEach
  void defaultMesh() {
    store = new ResourceStore(redis.client(), StoreSettings.DEFAULTS);
    changes = new ChangeStream(redis.client(), store.keys());
    await(store.create(mesh("default")));
  }

  @AfterEach
  void stop() {
    if (follower != null) {
      follower.stop();
    }
  }

  @Test
  void loadsFirstThenAppliesEventsInOrder() {
    await(store.create(dataplane("default", "web-1", "web", "10.0.0.1", 80)));
    DataplaneNames view = start(Duration.ofHours(1));
    assertThat(view.names).containsExactly("web-1");

    await(store.create(dataplane("default", "web-2", "web", "10.0.0.2", 80)));
    await(store.delete(ResourceType.DATAPLANE, "default", "web-1", java.util.OptionalLong.empty()));
    assertThat(eventually(WAIT, () -> view.names.equals(Set.of("web-2"))))
        .as("%s", view.names)
        .isTrue();
    assertThat(view.resyncs.get()).isEqualTo(1);
  }

  @Test
  void aStreamTrimmedPastAFollowerThatFellBehindIsLoadedAnew() throws Exception {
    DataplaneNames view = start(Duration.ofHours(1));
    CompletableFuture<Void> held = new CompletableFuture<>();
    view.hold = held;
    await(store.create(dataplane("default", "web-1", "web", "10.0.0.1", 80)));
    assertThat(view.applying.await(10, TimeUnit.SECONDS)).isTrue();

    // While web-1 is being applied, web-2 and web-3 come, and the stream keeps only web-3.
    await(store.create(dataplane("default", "web-2", "web", "10.0.0.2", 80)));
    await(store.create(dataplane("default", "web-3", "web", "10.0.0.3", 80)));
    trim(1);
    held.complete(null);

    assertThat(eventually(WAIT, () -> view.names.equals(Set.of("web-1", "web-2", "web-3"))))
        .as("web-2 is known only from the reload: %s", view.names)
        .isTrue();
    assertThat(view.resyncs.get()).isEqualTo(2);
  }

  @Test
  void aStreamTrimmedWhileTheFollowerWasDisconnectedIsLoadedAnew() {
    DataplaneNames view = start(Duration.ofHours(1));
    await(store.create(dataplane("default", "web-1", "web", "10.0.0.1", 80)));
    assertThat(eventually(WAIT, () -> view.names.contains("web-1"))).isTrue();

    killFollowerConnection();
    await(store.create(dataplane("default", "web-2", "web", "10.0.0.2", 80)));
    trim(0);

    assertThat(eventually(WAIT, () -> view.names.equals(Set.of("web-1", "web-2"))))
        .as("the reconnect finds the position lost: %s", view.names)
        .isTrue();
    assertThat(view.resyncs.get()).isEqualTo(2);

    await(store.create(dataplane("default", "web-3", "web", "10.0.0.3", 80)));
    assertThat(eventually(WAIT, () -> view.names.contains("web-3")))
        .as("and follows from the reload on")
        .isTrue();
  }

  @Test
  void aReconnectResumesFromItsPositionWhenNothingWasLost() {
    DataplaneNames view = start(Duration.ofHours(1));
    killFollowerConnection();
    await(store.create(dataplane("default", "web-1", "web", "10.0.0.1", 80)));
    assertThat(eventually(WAIT, () -> view.names.contains("web-1"))).isTrue();
    assertThat(view.resyncs.get()).isEqualTo(1);
  }

  @Test
  void everyStreamIsLoadedAnewEachResyncInterval() {
    DataplaneNames view = start(Duration.ofMillis(100));
    assertThat(eventually(WAIT, () -> view.resyncs.get() >= 3)).isTrue();
  }

  private DataplaneNames start(Duration resyncInterval) {
    follower =
        new ChangeFollower(
            redis.client(),
            changes,
            Clock.systemUTC(),
            new ChangeFollower.Settings(100, resyncInterval, Duration.ZERO, RETRY));
    DataplaneNames view = new DataplaneNames();
    await(follower.follow("default", view));
    follower.start();
    return view;
  }

  /** The subscriber under test: the names of the mesh's dataplanes. */
  private final class DataplaneNames implements ChangeFollower.Subscriber {
    final Set<String> names = new ConcurrentSkipListSet<>();
    final AtomicInteger resyncs = new AtomicInteger();
    final CountDownLatch applying = new CountDownLatch(1);
    volatile CompletableFuture<Void> hold;

    @Override
    public Uni<Void> resync() {
      return new ResourceQueries(store)
          .list(ResourceType.DATAPLANE, "default", ListQuery.all())
          .invoke(
              page -> {
                Set<String> loaded = new TreeSet<>();
                page.items().forEach(resource -> loaded.add(resource.name()));
                names.retainAll(loaded);
                names.addAll(loaded);
                resyncs.incrementAndGet();
              })
          .replaceWithVoid();
    }

    @Override
    public Uni<Void> apply(List<ChangeEvent> events) {
      for (ChangeEvent event : events) {
        if (ResourceType.DATAPLANE.kumaName().equals(event.type())) {
          if (event.op() == ChangeEvent.Op.DELETE) {
            names.remove(event.name());
          } else {
            names.add(event.name());
          }
        }
      }
      applying.countDown();
      CompletableFuture<Void> wait = hold;
      hold = null;
      return wait == null ? Uni.createFrom().voidItem() : Uni.createFrom().completionStage(wait);
    }
  }

  /** Closes the follower's own connection, the one blocked in XREAD. */
  private void killFollowerConnection() {
    assertThat(eventually(WAIT, () -> redis.killConnectionsRunning("xread") > 0)).isTrue();
  }

  private void trim(int keep) {
    await(
        redis
            .client()
            .send(Request.cmd(Command.XTRIM).arg(changes.key("default")).arg("MAXLEN").arg(keep)));
  }

  private static <T> T await(Uni<T> uni) {
    return uni.await().atMost(WAIT);
  }
}

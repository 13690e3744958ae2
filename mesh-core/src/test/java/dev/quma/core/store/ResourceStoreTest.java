package dev.quma.core.store;

import static dev.quma.core.testing.Fixtures.dataplane;
import static dev.quma.core.testing.Fixtures.mesh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quma.core.events.ChangeEvent;
import dev.quma.core.events.ChangeStream;
import dev.quma.core.model.Dataplane;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceMeta;
import dev.quma.core.model.ResourceType;
import dev.quma.core.model.SecretData;
import dev.quma.testing.PrivateRedis;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ResourceStoreTest {
  @RegisterExtension static PrivateRedis redis = new PrivateRedis();

  private static final Duration WAIT = Duration.ofSeconds(10);
  private ResourceStore store;

  @BeforeEach
  void createDefaultMesh() {
    store = new ResourceStore(redis.client(), StoreSettings.DEFAULTS);
    await(store.create(mesh("default")));
  }

  @Test
  void createsReadsUpdatesAndDeletesWithIncreasingVersions() {
    WriteResult created =
        await(store.create(dataplane("default", "redis-1", "redis", "192.168.0.1", 9000)));
    assertThat(created.created()).isTrue();

    Resource<?> read = await(store.get(ResourceType.DATAPLANE, "default", "redis-1"));
    assertThat(read.version()).isEqualTo(created.version());
    assertThat(read.meta().creationTime()).isEqualTo(created.creationTime());
    assertThat(((Dataplane) read.spec()).networking().address()).isEqualTo("192.168.0.1");

    WriteResult updated =
        await(
            store.put(
                dataplane("default", "redis-1", "redis", "192.168.0.9", 9000),
                OptionalLong.of(created.version())));
    assertThat(updated.created()).isFalse();
    assertThat(updated.version()).isGreaterThan(created.version());
    assertThat(updated.creationTime()).isEqualTo(created.creationTime());

    long deletedAt =
        await(store.delete(ResourceType.DATAPLANE, "default", "redis-1", OptionalLong.empty()));
    assertThat(deletedAt).isGreaterThan(updated.version());
    assertThatThrownBy(() -> await(store.get(ResourceType.DATAPLANE, "default", "redis-1")))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThat(
            await(
                    new ResourceQueries(store)
                        .list(ResourceType.DATAPLANE, "default", ListQuery.page(0, 10)))
                .total())
        .isZero();
  }

  @Test
  void refusesStaleVersionsDuplicatesAndUnknownMeshes() {
    WriteResult first = await(store.create(dataplane("default", "a", "web", "10.0.0.1", 80)));
    await(store.put(dataplane("default", "a", "web", "10.0.0.2", 80), OptionalLong.empty()));

    assertThatThrownBy(
            () ->
                await(
                    store.put(
                        dataplane("default", "a", "web", "10.0.0.3", 80),
                        OptionalLong.of(first.version()))))
        .isInstanceOf(ResourceConflictException.class)
        .hasMessageContaining("expected version " + first.version());
    assertThatThrownBy(() -> await(store.create(dataplane("default", "a", "web", "10.0.0.3", 80))))
        .isInstanceOf(ResourceConflictException.class)
        .hasMessageContaining("already exists");
    assertThatThrownBy(() -> await(store.create(dataplane("nowhere", "a", "web", "10.0.0.3", 80))))
        .isInstanceOf(MeshNotFoundException.class);
    assertThatThrownBy(
            () ->
                await(
                    store.update(
                        dataplane("default", "b", "web", "10.0.0.3", 80), OptionalLong.empty())))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(
            () ->
                await(
                    store.delete(
                        ResourceType.DATAPLANE, "default", "a", OptionalLong.of(first.version()))))
        .isInstanceOf(ResourceConflictException.class);

    // A rejected write leaves the resource exactly as it was.
    Dataplane kept = (Dataplane) await(store.get(ResourceType.DATAPLANE, "default", "a")).spec();
    assertThat(kept.networking().address()).isEqualTo("10.0.0.2");
    assertThat(
            await(
                    new ResourceQueries(store)
                        .list(ResourceType.DATAPLANE, "nowhere", ListQuery.page(0, 10)))
                .total())
        .isZero();
  }

  @Test
  void ofFiftyConcurrentUpdatesFromOneVersionExactlyOneWins() throws Exception {
    long version =
        await(store.create(dataplane("default", "contended", "web", "10.0.0.1", 80))).version();
    int writers = 50;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    CountDownLatch start = new CountDownLatch(1);
    AtomicInteger wins = new AtomicInteger();
    AtomicInteger conflicts = new AtomicInteger();
    ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> winners = new ConcurrentLinkedQueue<>();
    List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < writers; i++) {
      String address = "10.1.0." + (i + 1);
      futures.add(
          pool.submit(
              () -> {
                start.await();
                try {
                  await(
                      store.put(
                          dataplane("default", "contended", "web", address, 80),
                          OptionalLong.of(version)));
                  wins.incrementAndGet();
                  winners.add(address);
                } catch (ResourceConflictException e) {
                  conflicts.incrementAndGet();
                } catch (Throwable e) {
                  unexpected.add(e);
                }
                return null;
              }));
    }
    start.countDown();
    for (var f : futures) {
      f.get();
    }
    pool.shutdown();

    assertThat(unexpected).isEmpty();
    assertThat(wins.get()).isEqualTo(1);
    assertThat(conflicts.get()).isEqualTo(writers - 1);
    Resource<?> stored = await(store.get(ResourceType.DATAPLANE, "default", "contended"));
    assertThat(((Dataplane) stored.spec()).networking().address()).isEqualTo(winners.peek());
    // The winner's write is one event; the losers left none.
    List<ChangeEvent> events =
        await(
            new ChangeStream(redis.client(), store.keys())
                .readMesh("default", ChangeStream.BEGINNING, 1000));
    assertThat(events.stream().filter(e -> e.name().equals("contended")).map(ChangeEvent::op))
        .containsExactly(ChangeEvent.Op.CREATE, ChangeEvent.Op.UPDATE);
  }

  @Test
  void aMeshWithDataplanesIsNotDeletedAndItsSecretsGoWithIt() {
    await(store.create(dataplane("default", "redis-1", "redis", "10.0.0.1", 9000)));
    await(
        store.create(
            new Resource<>(
                ResourceMeta.of(
                    ResourceType.SECRET,
                    "default",
                    "dataplane-token-signing-key-default-1",
                    Map.of()),
                new SecretData("c2VjcmV0"))));

    assertThatThrownBy(
            () -> await(store.delete(ResourceType.MESH, null, "default", OptionalLong.empty())))
        .isInstanceOf(MeshNotEmptyException.class)
        .hasMessage("mesh \"default\" still has 1 dataplane; delete them first");
    assertThat(await(store.find(ResourceType.MESH, null, "default"))).isPresent();

    await(store.delete(ResourceType.DATAPLANE, "default", "redis-1", OptionalLong.empty()));
    await(store.delete(ResourceType.MESH, null, "default", OptionalLong.empty()));
    assertThat(await(new ResourceQueries(store).meshNames())).isEmpty();

    await(store.create(mesh("default")));
    assertThat(
            await(
                store.find(
                    ResourceType.SECRET, "default", "dataplane-token-signing-key-default-1")))
        .isEmpty();
  }

  @Test
  void everyChangeIsAnEventOnTheMeshStreamAndMeshesOnTheGlobalOne() {
    ChangeStream changes = new ChangeStream(redis.client(), store.keys());
    long v1 = await(store.create(dataplane("default", "a", "web", "10.0.0.1", 80))).version();
    long v2 =
        await(store.put(dataplane("default", "a", "web", "10.0.0.2", 80), OptionalLong.empty()))
            .version();
    long v3 = await(store.delete(ResourceType.DATAPLANE, "default", "a", OptionalLong.empty()));

    List<ChangeEvent> events = await(changes.readMesh("default", ChangeStream.BEGINNING, 100));
    assertThat(events)
        .extracting(
            e -> e.op() + " " + e.type() + " " + e.mesh() + "/" + e.name() + " " + e.version())
        .containsExactly(
            "CREATE Mesh default/default " + (v1 - 1),
            "CREATE Dataplane default/a " + v1,
            "UPDATE Dataplane default/a " + v2,
            "DELETE Dataplane default/a " + v3);
    List<ChangeEvent> after = await(changes.readMesh("default", events.get(1).id(), 100));
    assertThat(after).hasSize(2);
    assertThat(await(changes.readGlobal(ChangeStream.BEGINNING, 10)))
        .extracting(ChangeEvent::name)
        .containsExactly("default");
  }

  private static <T> T await(Uni<T> uni) {
    return uni.await().atMost(WAIT);
  }
}

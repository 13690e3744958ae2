package dev.quma.core.store;

import static dev.quma.core.testing.Fixtures.dataplane;
import static dev.quma.core.testing.Fixtures.mesh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.quma.core.codec.MalformedResourceException;
import dev.quma.core.model.Mesh;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceMeta;
import dev.quma.core.model.ResourceType;
import dev.quma.testing.PrivateRedis;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One stored record never breaks a read (issue 15, item 3): what cannot be read back is not stored,
 * and a list skips a record that is already unreadable instead of failing the page.
 */
class UnreadableRecordsTest {
  @RegisterExtension static PrivateRedis redis = new PrivateRedis();

  private ResourceStore store;
  private ResourceQueries queries;

  @BeforeEach
  void twoDataplanes() {
    store = new ResourceStore(redis.client(), StoreSettings.DEFAULTS);
    queries = new ResourceQueries(store);
    await(store.create(mesh("default")));
    await(store.create(dataplane("default", "a", "web", "10.0.0.1", 80)));
    await(store.create(dataplane("default", "b", "web", "10.0.0.2", 80)));
  }

  @Test
  void listsSkipARecordThatNoLongerReads() {
    String key = store.keys().record(ResourceType.DATAPLANE, "default", "a");
    await(
        redis
            .client()
            .send(Request.cmd(Command.HSET).arg(key).arg("spec").arg("{\"networking\": 5"))
            .replaceWithVoid());

    Page<Resource<?>> page =
        await(queries.list(ResourceType.DATAPLANE, "default", ListQuery.page(0, 10)));
    assertThat(page.items()).extracting(Resource::name).containsExactly("b");
    Page<Resource<?>> across =
        await(queries.listAcrossMeshes(ResourceType.DATAPLANE, ListQuery.page(0, 10)));
    assertThat(across.items()).extracting(Resource::name).containsExactly("b");
  }

  @Test
  void meshListsSkipAMeshThatNoLongerReads() {
    await(store.create(mesh("other")));
    String key = store.keys().record(ResourceType.MESH, null, "other");
    await(
        redis
            .client()
            .send(Request.cmd(Command.HSET).arg(key).arg("ct").arg("yesterday"))
            .replaceWithVoid());

    Page<Resource<?>> meshes = await(queries.list(ResourceType.MESH, null, ListQuery.page(0, 10)));
    assertThat(meshes.items()).extracting(Resource::name).containsExactly("default");
  }

  @Test
  void whatWouldNotReadBackIsNeverStored() {
    Mesh infinite =
        new Mesh(
            null,
            null,
            Map.of("rate", Double.POSITIVE_INFINITY),
            null,
            null,
            null,
            null,
            null,
            null);
    Throwable refused =
        catchThrowable(
            () ->
                await(
                    store.put(
                        new Resource<>(
                            ResourceMeta.of(ResourceType.MESH, null, "inf", Map.of()), infinite),
                        OptionalLong.empty())));
    assertThat(refused).isInstanceOf(MalformedResourceException.class);
    assertThat(await(store.find(ResourceType.MESH, null, "inf"))).isEmpty();
    assertThat(await(queries.meshNames())).isEqualTo(List.of("default"));
  }

  private static <T> T await(Uni<T> uni) {
    return uni.await().atMost(Duration.ofSeconds(10));
  }
}

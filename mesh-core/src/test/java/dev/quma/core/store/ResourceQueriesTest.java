package dev.quma.core.store;

import static dev.quma.core.testing.Fixtures.dataplane;
import static dev.quma.core.testing.Fixtures.mesh;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.core.codec.Format;
import dev.quma.core.codec.ResourceCodec;
import dev.quma.core.model.Dataplane;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceType;
import dev.quma.testing.PrivateRedis;
import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Listing through the name and tag indexes, against a real Redis. */
class ResourceQueriesTest {
  @RegisterExtension static PrivateRedis redis = new PrivateRedis();

  private static final Duration WAIT = Duration.ofSeconds(10);
  private ResourceStore store;
  private ResourceQueries queries;

  @BeforeEach
  void createDefaultMesh() {
    store = new ResourceStore(redis.client(), StoreSettings.DEFAULTS);
    queries = new ResourceQueries(store);
    await(store.create(mesh("default")));
  }

  @Test
  void aPaginatedWalkOverAThousandDataplanesSeesEachExactlyOnce() {
    List<Uni<WriteResult>> writes = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      writes.add(
          store.create(
              dataplane(
                  "default",
                  "dp-" + i,
                  "svc-" + (i % 10),
                  "10.0." + (i / 250) + "." + (i % 250 + 1),
                  8000)));
    }
    await(Uni.join().all(writes).andFailFast());

    Set<String> seen = new HashSet<>();
    List<String> order = new ArrayList<>();
    long offset = 0;
    int pages = 0;
    while (true) {
      Page<Resource<?>> page =
          await(queries.list(ResourceType.DATAPLANE, "default", ListQuery.page(offset, 100)));
      assertThat(page.total()).isEqualTo(1000);
      page.items().forEach(r -> order.add(r.name()));
      page.items()
          .forEach(r -> assertThat(seen.add(r.name())).as("seen twice: " + r.name()).isTrue());
      pages++;
      if (page.nextOffset().isEmpty()) {
        break;
      }
      offset = page.nextOffset().getAsLong();
    }
    assertThat(pages).isEqualTo(10);
    assertThat(seen).hasSize(1000);
    assertThat(order).isSorted();
  }

  @Test
  void filtersByTagValueSubstringAndNameAcrossMeshes() {
    await(store.create(mesh("other")));
    await(store.create(dataplane("default", "redis-1", "redis", "10.0.0.1", 9000)));
    await(store.create(dataplane("default", "redis-2", "redis", "10.0.0.2", 9000)));
    await(store.create(dataplane("default", "backend-1", "backend", "10.0.0.3", 8000)));
    await(store.create(dataplane("other", "redis-3", "redis-cache", "10.0.0.4", 9000)));

    Page<Resource<?>> redis =
        await(
            queries.list(
                ResourceType.DATAPLANE,
                "default",
                ListQuery.page(0, 10).withTags(Map.of("kuma.io/service", "redis"))));
    assertThat(redis.items()).extracting(Resource::name).containsExactly("redis-1", "redis-2");

    Page<Resource<?>> byName =
        await(
            queries.list(
                ResourceType.DATAPLANE, "default", ListQuery.page(0, 10).withNameContains("end")));
    assertThat(byName.items()).extracting(Resource::name).containsExactly("backend-1");

    Page<Resource<?>> everywhere =
        await(
            queries.listAcrossMeshes(
                ResourceType.DATAPLANE,
                ListQuery.page(1, 2).withTags(Map.of("kuma.io/service", "redis"))));
    assertThat(everywhere.total()).isEqualTo(3);
    assertThat(everywhere.items())
        .extracting(r -> r.mesh() + "/" + r.name())
        .containsExactly("default/redis-2", "other/redis-3");
    assertThat(everywhere.nextOffset()).isEmpty();

    // The tag index follows updates and deletes.
    await(
        store.put(
            dataplane("default", "redis-1", "postgres", "10.0.0.1", 9000), OptionalLong.empty()));
    await(store.delete(ResourceType.DATAPLANE, "default", "redis-2", OptionalLong.empty()));
    assertThat(
            await(
                    queries.list(
                        ResourceType.DATAPLANE,
                        "default",
                        ListQuery.page(0, 10).withTags(Map.of("kuma.io/service", "redis"))))
                .total())
        .isZero();
    assertThat(
            await(
                    queries.list(
                        ResourceType.DATAPLANE,
                        "default",
                        ListQuery.page(0, 10)
                            .withTags(Map.of("kuma.io/service", "postgres", "version", "v"))))
                .total())
        .isEqualTo(1);
  }

  @Test
  void gatewayFiltersUseTheTagIndexsGatewayEntries() {
    await(store.create(dataplane("default", "web-1", "web", "10.0.0.1", 80)));
    await(store.create(gateway("edge-1", "BUILTIN")));
    await(store.create(gateway("edge-2", "DELEGATED")));
    assertThat(names(ListQuery.GatewayFilter.GATEWAY)).containsExactly("edge-1", "edge-2");
    assertThat(names(ListQuery.GatewayFilter.BUILTIN)).containsExactly("edge-1");
    assertThat(names(ListQuery.GatewayFilter.DELEGATED)).containsExactly("edge-2");
    assertThat(names(ListQuery.GatewayFilter.NOT_GATEWAY)).containsExactly("web-1");
    assertThat(await(queries.count(ResourceType.DATAPLANE, "default"))).isEqualTo(3);
    assertThat(await(queries.countAll(List.of(ResourceType.DATAPLANE), List.of("default"))))
        .containsExactly(Map.entry("default", Map.of(ResourceType.DATAPLANE, 3L)));
  }

  private List<String> names(ListQuery.GatewayFilter filter) {
    return await(
            queries.list(
                ResourceType.DATAPLANE, "default", new ListQuery(0, 10, null, null, filter)))
        .items()
        .stream()
        .map(Resource::name)
        .toList();
  }

  private static Resource<Dataplane> gateway(String name, String type) {
    String yaml =
        """
        type: Dataplane
        mesh: default
        name: %s
        networking:
          address: 10.0.1.1
          gateway:
            type: %s
            tags: {kuma.io/service: edge}
        """
            .formatted(name, type);
    return ResourceCodec.instance()
        .<Dataplane>decode(
            yaml.getBytes(StandardCharsets.UTF_8), Format.YAML, ResourceType.DATAPLANE)
        .toResource(ResourceType.DATAPLANE);
  }

  private static <T> T await(Uni<T> uni) {
    return uni.await().atMost(WAIT);
  }
}

package dev.quma.core.store;

import static dev.quma.core.testing.Fixtures.mesh;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.core.model.ResourceType;
import dev.quma.testing.PrivateRedis;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The default mesh is created once in the store's life; the cluster id is given once. */
class DefaultMeshMarkerTest {
  @RegisterExtension static PrivateRedis redis = new PrivateRedis();

  private static final Duration WAIT = Duration.ofSeconds(10);
  private ResourceStore store;

  @BeforeEach
  void createDefaultMesh() {
    store = new ResourceStore(redis.client(), StoreSettings.DEFAULTS);
    await(store.create(mesh("default")));
  }

  @Test
  void theDefaultMeshIsCreatedOnceEvenAfterItIsDeleted() {
    await(store.delete(ResourceType.MESH, null, "default", OptionalLong.empty()));
    assertThat(
            await(
                new DefaultMeshMarker(store, java.time.Clock.systemUTC())
                    .createOnce(mesh("default"))))
        .isTrue();
    assertThat(
            await(
                new DefaultMeshMarker(store, java.time.Clock.systemUTC())
                    .createOnce(mesh("default"))))
        .isFalse();
    await(store.delete(ResourceType.MESH, null, "default", OptionalLong.empty()));
    assertThat(
            await(
                new DefaultMeshMarker(store, java.time.Clock.systemUTC())
                    .createOnce(mesh("default"))))
        .isFalse();
    assertThat(await(new ResourceQueries(store).meshNames())).isEmpty();
  }

  @Test
  void theClusterIdIsGivenOnceAndKept() {
    String first = await(new ClusterId(store).get());
    assertThat(first).isNotBlank();
    assertThat(await(new ClusterId(store).get())).isEqualTo(first);
  }

  private static <T> T await(Uni<T> uni) {
    return uni.await().atMost(WAIT);
  }
}

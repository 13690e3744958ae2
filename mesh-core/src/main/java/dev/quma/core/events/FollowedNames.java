package dev.quma.core.events;

import dev.quma.core.model.ResourceType;
import dev.quma.core.store.ListQuery;
import dev.quma.core.store.ResourceQueries;
import dev.quma.core.store.ResourceStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dataplane names of some meshes as a {@link ChangeFollower} of their own sees them: loaded
 * whole, then kept up by the change streams. Names are only added (a delete is not applied): what a
 * failover drill asks is whether the follower has seen a write. One follower per instance.
 */
public final class FollowedNames {
  private final ResourceStore store;
  private final ChangeFollower follower;
  private final Map<String, Set<String>> byMesh = new ConcurrentHashMap<>();

  public FollowedNames(Redis redis, ResourceStore store, Duration retryDelay) {
    this.store = store;
    this.follower =
        new ChangeFollower(
            redis,
            new ChangeStream(redis, store.keys()),
            Clock.systemUTC(),
            new ChangeFollower.Settings(500, Duration.ofHours(1), Duration.ZERO, retryDelay));
  }

  /** Loads the meshes and starts following them. */
  public FollowedNames start(List<String> meshes, Duration timeout) {
    for (String mesh : meshes) {
      Set<String> names = byMesh.computeIfAbsent(mesh, m -> ConcurrentHashMap.newKeySet());
      follower.follow(mesh, new Names(mesh, names)).await().atMost(timeout);
    }
    follower.start();
    return this;
  }

  /** Whether the follower has seen the dataplane {@code name} of {@code mesh}. */
  public boolean has(String mesh, String name) {
    Set<String> names = byMesh.get(mesh);
    return names != null && names.contains(name);
  }

  public void stop() {
    follower.stop();
  }

  /** One mesh's names. */
  private final class Names implements ChangeFollower.Subscriber {
    private final String mesh;
    private final Set<String> names;

    Names(String mesh, Set<String> names) {
      this.mesh = mesh;
      this.names = names;
    }

    @Override
    public Uni<Void> resync() {
      return new ResourceQueries(store)
          .list(ResourceType.DATAPLANE, mesh, ListQuery.all())
          .invoke(page -> page.items().forEach(resource -> names.add(resource.name())))
          .replaceWithVoid();
    }

    @Override
    public Uni<Void> apply(List<ChangeEvent> events) {
      events.forEach(event -> names.add(event.name()));
      return Uni.createFrom().voidItem();
    }
  }
}

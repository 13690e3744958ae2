package dev.quma.tokens.testing;

import dev.quma.core.codec.Format;
import dev.quma.core.codec.ResourceCodec;
import dev.quma.core.model.Dataplane;
import dev.quma.core.model.Mesh;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceMeta;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.ResourceStore;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/** Test meshes with names of their own, so tests never clean up after each other. */
@ApplicationScoped
public class Meshes {
  private final ResourceStore store;

  public Meshes(ResourceStore store) {
    this.store = store;
  }

  /** Creates a mesh with a fresh name and answers the name. */
  public String create() {
    String name = "mesh-" + UUID.randomUUID().toString().substring(0, 8);
    store
        .create(
            new Resource<>(ResourceMeta.of(ResourceType.MESH, null, name, Map.of()), Mesh.EMPTY))
        .await()
        .atMost(Duration.ofSeconds(10));
    return name;
  }

  /** Stores the seeds' redis-1 dataplane (one inbound, kuma.io/service=redis) in the mesh. */
  public Dataplane storeRedis1(String mesh) {
    String yaml =
        """
        type: Dataplane
        mesh: %s
        name: redis-1
        networking:
          address: 192.168.0.1
          inbound:
          - port: 9000
            servicePort: 6379
            tags:
              kuma.io/service: redis
        """
            .formatted(mesh);
    Resource<Dataplane> dataplane =
        ResourceCodec.instance()
            .<Dataplane>decode(
                yaml.getBytes(StandardCharsets.UTF_8), Format.YAML, ResourceType.DATAPLANE)
            .toResource(ResourceType.DATAPLANE);
    store.create(dataplane).await().atMost(Duration.ofSeconds(10));
    return dataplane.spec();
  }
}

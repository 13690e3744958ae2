package dev.quma.core.testing;

import dev.quma.core.codec.Format;
import dev.quma.core.codec.ResourceCodec;
import dev.quma.core.model.Dataplane;
import dev.quma.core.model.Mesh;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceMeta;
import dev.quma.core.model.ResourceType;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Small builders of resources for tests. */
public final class Fixtures {
  private Fixtures() {}

  public static Resource<Mesh> mesh(String name) {
    return new Resource<>(ResourceMeta.of(ResourceType.MESH, null, name, Map.of()), Mesh.EMPTY);
  }

  /** A dataplane with one inbound of {@code service} on {@code address:port}. */
  public static Resource<Dataplane> dataplane(
      String mesh, String name, String service, String address, int port) {
    String yaml =
        """
        type: Dataplane
        mesh: %s
        name: %s
        networking:
          address: %s
          inbound:
          - port: %d
            tags:
              kuma.io/service: %s
              version: v1
        """
            .formatted(mesh, name, address, port, service);
    return ResourceCodec.instance()
        .<Dataplane>decode(
            yaml.getBytes(StandardCharsets.UTF_8), Format.YAML, ResourceType.DATAPLANE)
        .toResource(ResourceType.DATAPLANE);
  }
}

package dev.quma.xds.testing;

import dev.quma.core.codec.Format;
import dev.quma.core.codec.ResourceCodec;
import dev.quma.core.model.Dataplane;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceMeta;
import dev.quma.core.model.ResourceType;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Dataplane documents of the seeds' walkthrough, for tests. */
public final class Seeds {
  private Seeds() {}

  public static String redis(String name, String address) {
    return redis("default", name, address);
  }

  public static String redis(String mesh, String name, String address) {
    return """
        {"type": "Dataplane", "mesh": "%s", "name": "%s",
         "networking": {"address": "%s", "inbound": [{"port": 9000, "servicePort": 6379, "tags": {"kuma.io/service": "redis"}}]}}
        """
        .formatted(mesh, name, address);
  }

  public static String backend(String name, String address) {
    return backend("default", name, address);
  }

  public static String backend(String mesh, String name, String address) {
    return """
        {"type": "Dataplane", "mesh": "%s", "name": "%s",
         "networking": {"address": "%s",
           "inbound": [{"port": 8000, "servicePort": 80, "tags": {"kuma.io/service": "backend", "kuma.io/protocol": "http"}}],
           "outbound": [{"port": 10000, "tags": {"kuma.io/service": "redis"}}]}}
        """
        .formatted(mesh, name, address);
  }

  public static Resource<Dataplane> resource(String json) {
    return ResourceCodec.instance()
        .<Dataplane>decode(
            json.getBytes(StandardCharsets.UTF_8), Format.JSON, ResourceType.DATAPLANE)
        .toResource(ResourceType.DATAPLANE);
  }

  public static Resource<dev.quma.core.model.Mesh> defaultMesh() {
    return mesh("default");
  }

  public static Resource<dev.quma.core.model.Mesh> mesh(String name) {
    return new Resource<>(
        ResourceMeta.of(ResourceType.MESH, null, name, Map.of()), dev.quma.core.model.Mesh.EMPTY);
  }
}

package dev.quma.xds.testing;

import dev.quma.core.codec.Format;
import dev.quma.core.codec.ResourceCodec;
import dev.quma.core.model.Dataplane;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceMeta;
import dev.quma.core.model.ResourceType;
import dev.quma.testing.SeedDataplanes;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The walkthrough's dataplanes (from test-support) in the default mesh, and decoded. */
public final class Seeds {
  private Seeds() {}

  public static String redis(String name, String address) {
    return redis("default", name, address);
  }

  public static String redis(String mesh, String name, String address) {
    return SeedDataplanes.redis(mesh, name, address);
  }

  public static String backend(String name, String address) {
    return backend("default", name, address);
  }

  public static String backend(String mesh, String name, String address) {
    return SeedDataplanes.backend(mesh, name, address);
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

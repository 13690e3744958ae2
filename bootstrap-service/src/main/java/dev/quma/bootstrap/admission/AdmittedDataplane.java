package dev.quma.bootstrap.admission;

import dev.quma.core.model.Dataplane;
import dev.quma.core.model.Resource;

/**
 * A dataplane the bootstrap tier agreed to bootstrap.
 *
 * @param resource the dataplane: the one offered (Direct) or the stored one (Indirect)
 * @param direct true when the proxy brings its own resource, which then goes into Envoy's node
 *     metadata so that the xDS tier registers it
 */
public record AdmittedDataplane(Resource<Dataplane> resource, boolean direct) {
  public String mesh() {
    return resource.mesh();
  }

  public String name() {
    return resource.name();
  }

  public Dataplane spec() {
    return resource.spec();
  }
}

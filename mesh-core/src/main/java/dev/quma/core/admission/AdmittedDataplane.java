package dev.quma.core.admission;

import dev.quma.core.model.Dataplane;
import dev.quma.core.model.Resource;
import java.util.Optional;

/**
 * A dataplane that may be served.
 *
 * @param offered the resource the proxy brought (Direct mode), or null (Indirect mode)
 * @param stored the dataplane as the store holds it, if it does
 */
public record AdmittedDataplane(
    String mesh, String name, Resource<Dataplane> offered, Optional<Resource<Dataplane>> stored) {

  /** True when the proxy brings its own resource (which the xDS tier then registers). */
  public boolean direct() {
    return offered != null;
  }

  /** The dataplane to serve: the one offered (Direct), else the stored one (Indirect). */
  public Resource<Dataplane> resource() {
    return offered != null ? offered : stored.orElseThrow();
  }

  public Dataplane spec() {
    return resource().spec();
  }
}

package dev.quma.xds.generate;

import dev.quma.core.model.Dataplane;
import dev.quma.xds.envoy.names.EnvoyNames;
import dev.quma.xds.mesh.OutboundTarget;
import java.util.List;

/**
 * The outbounds of one dataplane that reach the same target: each gets a listener, all share the
 * target's cluster and load assignment.
 */
public record OutboundGroup(OutboundTarget target, List<Dataplane.Outbound> outbounds) {
  public OutboundGroup {
    outbounds = List.copyOf(outbounds);
  }

  /** The name of the target's cluster and load assignment. */
  public String cluster() {
    return EnvoyNames.outboundCluster(target.tags());
  }
}

package dev.quma.xds.mesh;

import dev.quma.core.model.Mesh;
import dev.quma.xds.envoy.Protocol;
import dev.quma.xds.envoy.endpoints.ServiceEndpoint;
import java.util.List;

/** What a proxy's configuration needs to know of the rest of its mesh. */
public interface MeshEndpoints {

  /** The ready endpoints of a target, in a stable order. */
  List<ServiceEndpoint> endpoints(OutboundTarget target);

  /**
   * The protocol of a service: the one its inbounds declare, or TCP when they disagree or say none.
   */
  Protocol protocol(String service);

  /**
   * Where a proxy's own inbound listens: its address, a domain name resolved; as written while it
   * does not resolve (Envoy then refuses the listener, and the config dump says why).
   */
  default String listenAddress(String address) {
    return address;
  }

  /** The mesh's own settings (its {@code metrics}, for one); none by default. */
  default Mesh meshSpec() {
    return Mesh.EMPTY;
  }
}

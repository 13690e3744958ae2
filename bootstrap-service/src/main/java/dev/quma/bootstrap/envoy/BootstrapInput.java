package dev.quma.bootstrap.envoy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quma.core.model.Dataplane;
import dev.quma.core.model.Resource;

/**
 * What one proxy's bootstrap is made of.
 *
 * @param dataplane the admitted dataplane
 * @param direct whether its resource goes into the node metadata (Direct mode)
 * @param token the dataplane token Envoy sends on the ADS stream
 * @param requestedAdminPort the agent's admin port, used when the resource names none; may be null
 * @param version the agent's and Envoy's versions as the request gave them; may be null
 * @param readinessPort the agent's readiness reporter port; may be null
 * @param proxyInstance the id of the proxy instance this bootstrap starts (one per bootstrap
 *     served), which the xDS tier tells reconnects from a second proxy by; may be null
 */
public record BootstrapInput(
    Resource<Dataplane> dataplane,
    boolean direct,
    String token,
    Integer requestedAdminPort,
    JsonNode version,
    Integer readinessPort,
    String proxyInstance) {

  /** Without a proxy instance id. */
  public BootstrapInput(
      Resource<Dataplane> dataplane,
      boolean direct,
      String token,
      Integer requestedAdminPort,
      JsonNode version,
      Integer readinessPort) {
    this(dataplane, direct, token, requestedAdminPort, version, readinessPort, null);
  }
}

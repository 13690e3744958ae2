package dev.quma.core.admission;

/**
 * What a proxy says of itself when it asks to be served: in a bootstrap request (these are the
 * field names of Kuma's {@code BootstrapRequest}), or in the node of its first xDS request.
 * Refusals name these fields.
 *
 * @param mesh the dataplane's mesh; may be left out when {@code dataplaneResource} names it
 * @param name the dataplane's name; likewise
 * @param proxyType {@code dataplane}, or null/blank (the same)
 * @param dataplaneToken the proxy's dataplane token, or null
 * @param dataplaneResource the proxy's own Dataplane resource, JSON or YAML (Direct mode), or
 *     null/blank (Indirect mode: the dataplane must be stored already)
 */
public record AdmissionRequest(
    String mesh, String name, String proxyType, String dataplaneToken, String dataplaneResource) {

  /** What is safe to log: everything but the token. */
  @Override
  public String toString() {
    return "AdmissionRequest[mesh="
        + mesh
        + ", name="
        + name
        + ", proxyType="
        + proxyType
        + ", direct="
        + (dataplaneResource != null && !dataplaneResource.isBlank())
        + "]";
  }
}

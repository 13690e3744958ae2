package dev.quma.bootstrap.web;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import dev.quma.core.admission.AdmissionRequest;
import java.util.List;
import java.util.Map;

/**
 * Kuma's {@code BootstrapRequest} as its agent sends it; fields this tier does not use are read and
 * ignored, unknown ones too, so that newer agents keep working. {@code adminPort} is the older
 * agents' field (Kuma 1.x), kept because it lets an agent choose the port without editing the
 * resource.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BootstrapRequest(
    String mesh,
    String name,
    String proxyType,
    String dataplaneToken,
    String dataplaneTokenPath,
    String dataplaneResource,
    JsonNode version,
    String caCert,
    Map<String, String> dynamicMetadata,
    Integer dnsPort,
    Integer readinessPort,
    Integer adminPort,
    String operatingSystem,
    List<String> features,
    String workdir) {

  /** What admission decides on. */
  public AdmissionRequest admission() {
    return new AdmissionRequest(mesh, name, proxyType, dataplaneToken, dataplaneResource);
  }

  /** What is safe to log: everything but the token. */
  @Override
  public String toString() {
    return admission().toString();
  }
}

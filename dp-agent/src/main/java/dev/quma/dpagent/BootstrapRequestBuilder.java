package dev.quma.dpagent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Builds Kuma's {@code BootstrapRequest}: in Direct mode from the rendered dataplane file (sent as
 * JSON, as Kuma's agent does, with mesh and name taken from it), in Indirect mode from mesh and
 * name alone.
 */
public final class BootstrapRequestBuilder {
  public static final String AGENT_VERSION = "0.1.0";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();

  private String mesh;
  private String name;
  private String resourceJson;
  private String token;
  private Integer adminPort;
  private Integer readinessPort;

  /** Direct mode: the rendered dataplane document (YAML or JSON). */
  public BootstrapRequestBuilder dataplane(String rendered) {
    JsonNode document;
    try {
      document = YAML.readTree(rendered);
    } catch (JsonProcessingException e) {
      throw new AgentException(
          ExitCodes.BAD_RESOURCE,
          "the rendered dataplane file is not valid YAML: " + e.getOriginalMessage());
    }
    if (document == null || !document.isObject()) {
      throw new AgentException(
          ExitCodes.BAD_RESOURCE,
          "the rendered dataplane file must be a Dataplane resource (type, mesh, name,"
              + " networking)");
    }
    mesh = text(document, "mesh", mesh);
    name = text(document, "name", name);
    resourceJson = document.toString();
    return this;
  }

  /** Indirect mode, or a check on the file's own names in Direct mode. */
  public BootstrapRequestBuilder names(String mesh, String name) {
    if (mesh != null) {
      this.mesh = mesh;
    }
    if (name != null) {
      this.name = name;
    }
    return this;
  }

  public BootstrapRequestBuilder token(String token) {
    this.token = token;
    return this;
  }

  public BootstrapRequestBuilder adminPort(Integer adminPort) {
    this.adminPort = adminPort;
    return this;
  }

  /** The readiness reporter's port; 0 or null: none. */
  public BootstrapRequestBuilder readinessPort(Integer readinessPort) {
    this.readinessPort = readinessPort;
    return this;
  }

  public String mesh() {
    return mesh;
  }

  public String name() {
    return name;
  }

  public String toJson() {
    ObjectNode request = JSON.createObjectNode();
    request.put("mesh", mesh == null ? "" : mesh);
    request.put("name", name == null ? "" : name);
    request.put("proxyType", "dataplane");
    request.put("dataplaneToken", token == null ? "" : token);
    if (resourceJson != null) {
      request.put("dataplaneResource", resourceJson);
    }
    if (adminPort != null) {
      request.put("adminPort", adminPort);
    }
    if (readinessPort != null && readinessPort > 0) {
      request.put("readinessPort", readinessPort);
    }
    request.put("operatingSystem", System.getProperty("os.name", "").toLowerCase());
    ObjectNode version = request.putObject("version");
    version
        .putObject("kumaDp")
        .put("version", AGENT_VERSION)
        .put("gitTag", "quma-dp-agent-" + AGENT_VERSION);
    version.putObject("envoy");
    return request.toString();
  }

  private static String text(JsonNode document, String field, String fallback) {
    JsonNode value = document.get(field);
    return value != null && value.isTextual() ? value.asText() : fallback;
  }
}

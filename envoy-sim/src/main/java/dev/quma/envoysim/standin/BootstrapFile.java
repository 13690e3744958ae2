package dev.quma.envoysim.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import dev.quma.envoysim.SimulatedEnvoy;
import io.envoyproxy.envoy.config.core.v3.BuildVersion;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.type.v3.SemanticVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * What the stand-in Envoy takes from an Envoy v3 bootstrap file: its node, its admin port, and how
 * to reach the ADS server (the static cluster the ADS config names, its TLS trust, the stream's
 * initial metadata), and whether it enables HDS over the same cluster. Read as a JSON tree rather
 * than into Envoy's protos, so that typed extension configs the stand-in does not know cannot stop
 * it; Envoy accepts both camelCase and snake_case field names, and so does this.
 */
public record BootstrapFile(
    Node node,
    String adminAddress,
    int adminPort,
    SimulatedEnvoy.Mode mode,
    String xdsHost,
    int xdsPort,
    String authorization,
    String trustedCaPem,
    String sni,
    boolean hds) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  public static BootstrapFile read(Path path) throws IOException {
    String text = Files.readString(path);
    JsonNode root = text.stripLeading().startsWith("{") ? JSON.readTree(text) : YAML.readTree(text);
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(path + " does not hold an Envoy bootstrap object");
    }
    return parse(root);
  }

  static BootstrapFile parse(JsonNode root) {
    Node node = node(required(root, "node"));
    JsonNode adminSocket = at(root, "admin", "address", "socket_address");
    String adminAddress = text(adminSocket, "address", "127.0.0.1");
    int adminPort = adminSocket == null ? 0 : field(adminSocket, "port_value").asInt(0);

    JsonNode ads = at(root, "dynamic_resources", "ads_config");
    if (ads == null) {
      throw new IllegalArgumentException("the bootstrap has no dynamic_resources.ads_config");
    }
    SimulatedEnvoy.Mode mode =
        text(ads, "api_type", "GRPC").equals("DELTA_GRPC")
            ? SimulatedEnvoy.Mode.DELTA
            : SimulatedEnvoy.Mode.SOTW;
    JsonNode grpcService = field(ads, "grpc_services").path(0);
    String clusterName = text(at(grpcService, "envoy_grpc"), "cluster_name", null);
    if (clusterName == null) {
      throw new IllegalArgumentException("ads_config names no envoy_grpc cluster");
    }
    String authorization = null;
    for (JsonNode entry : field(grpcService, "initial_metadata")) {
      if ("authorization".equalsIgnoreCase(entry.path("key").asText())) {
        authorization = entry.path("value").asText();
      }
    }

    JsonNode cluster = staticCluster(root, clusterName);
    JsonNode socket =
        at(
            field(field(field(cluster, "load_assignment"), "endpoints").path(0), "lb_endpoints")
                .path(0),
            "endpoint",
            "address",
            "socket_address");
    if (socket == null) {
      throw new IllegalArgumentException("cluster " + clusterName + " has no endpoint address");
    }
    JsonNode tls = at(cluster, "transport_socket", "typed_config");
    String trustedCa = null;
    String sni = null;
    if (tls != null) {
      sni = text(tls, "sni", null);
      trustedCa = trustedCa(root, field(tls, "common_tls_context"));
    }
    // HDS over the ADS server's cluster, as Kuma's bootstraps (and this control plane's) have it.
    String hdsCluster =
        text(
            at(field(at(root, "hds_config"), "grpc_services").path(0), "envoy_grpc"),
            "cluster_name",
            null);
    return new BootstrapFile(
        node,
        adminAddress,
        adminPort,
        mode,
        text(socket, "address", "127.0.0.1"),
        field(socket, "port_value").asInt(),
        authorization,
        trustedCa,
        sni,
        clusterName.equals(hdsCluster));
  }

  public boolean tls() {
    return trustedCaPem != null;
  }

  private static Node node(JsonNode json) {
    Node.Builder node =
        Node.newBuilder()
            .setId(text(json, "id", ""))
            .setCluster(text(json, "cluster", ""))
            .setUserAgentName("envoy")
            .setUserAgentBuildVersion(
                BuildVersion.newBuilder()
                    .setVersion(
                        SemanticVersion.newBuilder()
                            .setMajorNumber(1)
                            .setMinorNumber(31)
                            .setPatch(2)));
    if (node.getId().isEmpty()) {
      throw new IllegalArgumentException("the bootstrap's node has no id");
    }
    JsonNode metadata = field(json, "metadata");
    if (metadata.isObject()) {
      Struct.Builder struct = Struct.newBuilder();
      try {
        JsonFormat.parser().merge(metadata.toString(), struct);
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalArgumentException("node.metadata is not a protobuf Struct", e);
      }
      node.setMetadata(struct);
    }
    return node.build();
  }

  private static JsonNode staticCluster(JsonNode root, String name) {
    for (JsonNode cluster : field(field(root, "static_resources"), "clusters")) {
      if (name.equals(cluster.path("name").asText())) {
        return cluster;
      }
    }
    throw new IllegalArgumentException("no static cluster named " + name + " for the ADS server");
  }

  /** The CA to trust: inline in the TLS context, or in a static secret it refers to (SDS). */
  private static String trustedCa(JsonNode root, JsonNode common) {
    JsonNode validation = field(common, "validation_context");
    if (validation.isMissingNode()) {
      validation =
          field(field(common, "combined_validation_context"), "default_validation_context");
    }
    JsonNode sds = field(common, "validation_context_sds_secret_config");
    if (validation.isMissingNode() && !sds.isMissingNode()) {
      String secretName = sds.path("name").asText();
      for (JsonNode secret : field(field(root, "static_resources"), "secrets")) {
        if (secretName.equals(secret.path("name").asText())) {
          validation = field(secret, "validation_context");
        }
      }
    }
    JsonNode ca = field(validation, "trusted_ca");
    if (ca.isMissingNode()) {
      return null;
    }
    String inline = text(ca, "inline_string", null);
    if (inline != null) {
      return inline;
    }
    String bytes = text(ca, "inline_bytes", null);
    if (bytes != null) {
      return new String(Base64.getDecoder().decode(bytes), StandardCharsets.UTF_8);
    }
    String file = text(ca, "filename", null);
    if (file != null) {
      try {
        return Files.readString(Path.of(file));
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read the trusted CA " + file, e);
      }
    }
    return null;
  }

  private static JsonNode required(JsonNode json, String snakeName) {
    JsonNode value = field(json, snakeName);
    if (value.isMissingNode() || value.isNull()) {
      throw new IllegalArgumentException("the bootstrap has no " + snakeName);
    }
    return value;
  }

  /** A path of fields, or null where any is missing. */
  private static JsonNode at(JsonNode json, String... snakeNames) {
    JsonNode current = json;
    for (String name : snakeNames) {
      if (current == null) {
        return null;
      }
      current = field(current, name);
      if (current.isMissingNode() || current.isNull()) {
        return null;
      }
    }
    return current;
  }

  /** A field by its snake_case name or its camelCase one. */
  private static JsonNode field(JsonNode json, String snakeName) {
    if (json == null) {
      return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }
    JsonNode value = json.path(snakeName);
    return value.isMissingNode() ? json.path(camel(snakeName)) : value;
  }

  private static String text(JsonNode json, String snakeName, String fallback) {
    JsonNode value = field(json, snakeName);
    return value.isValueNode() ? value.asText() : fallback;
  }

  private static String camel(String snake) {
    StringBuilder out = new StringBuilder();
    boolean upper = false;
    for (char c : snake.toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        out.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return out.toString();
  }
}

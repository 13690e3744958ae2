package dev.quma.hostile;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Valid bodies for each endpoint, as document trees the mutations then take apart: Kuma's resources
 * (Mesh, Dataplane, Secret), the token-service's requests and Kuma's BootstrapRequest.
 */
final class Documents {
  private Documents() {}

  static Map<String, Object> mesh(Random random, String name) {
    Map<String, Object> mesh = meta("Mesh", null, name);
    if (random.nextBoolean()) {
      mesh.put(
          "mtls",
          map(
              "enabledBackend",
              "ca-1",
              "backends",
              List.of(map("name", "ca-1", "type", "builtin"))));
    }
    if (random.nextInt(3) == 0) {
      mesh.put("logging", map("backends", List.of(map("name", "file", "type", "file"))));
    }
    if (random.nextInt(4) == 0) {
      mesh.put("skipCreatingInitialPolicies", List.of("*"));
    }
    return mesh;
  }

  static Map<String, Object> dataplane(Random random, String mesh, String name) {
    Map<String, Object> dataplane = meta("Dataplane", mesh, name);
    Map<String, Object> networking = new LinkedHashMap<>();
    networking.put("address", "10.0." + random.nextInt(256) + "." + (1 + random.nextInt(254)));
    String service = Names.pick(random, Names.SERVICES);
    if (random.nextInt(8) == 0) {
      networking.put("gateway", map("tags", map("kuma.io/service", service)));
    } else {
      List<Object> inbound = new ArrayList<>();
      inbound.add(
          map(
              "port",
              8000 + random.nextInt(100),
              "servicePort",
              80,
              "tags",
              map("kuma.io/service", service, "kuma.io/protocol", "http")));
      networking.put("inbound", inbound);
    }
    if (random.nextBoolean()) {
      networking.put(
          "outbound",
          List.of(
              map("port", 10000 + random.nextInt(100), "tags", map("kuma.io/service", "redis"))));
    }
    if (random.nextInt(4) == 0) {
      networking.put(
          "transparentProxying",
          map(
              "redirectPortInbound", 15006,
              "redirectPortOutbound", 15001,
              "reachableBackends",
                  map("refs", List.of(map("kind", "MeshService", "name", "redis")))));
    }
    if (random.nextInt(5) == 0) {
      networking.put("admin", map("port", 9901));
    }
    dataplane.put("networking", networking);
    if (random.nextInt(4) == 0) {
      dataplane.put(
          "metrics", map("type", "prometheus", "conf", map("port", 5670, "path", "/metrics")));
    }
    if (random.nextInt(6) == 0) {
      dataplane.put(
          "probes",
          map(
              "port",
              9000,
              "endpoints",
              List.of(map("inboundPort", 8000, "inboundPath", "/h", "path", "/h"))));
    }
    return dataplane;
  }

  static Map<String, Object> secret(String mesh, String name) {
    Map<String, Object> secret = meta(mesh == null ? "GlobalSecret" : "Secret", mesh, name);
    secret.put(
        "data", Base64.getEncoder().encodeToString("hostile".getBytes(StandardCharsets.UTF_8)));
    return secret;
  }

  static Map<String, Object> tokenRequest(Random random, String mesh, String name) {
    Map<String, Object> request = map("mesh", mesh, "name", name);
    if (random.nextBoolean()) {
      request.put("tags", map("kuma.io/service", List.of(Names.pick(random, Names.SERVICES))));
    }
    if (random.nextBoolean()) {
      request.put("type", List.of("dataplane", "ingress", "egress").get(random.nextInt(3)));
    }
    request.put("validFor", List.of("1h", "24h", "10m", "8760h").get(random.nextInt(4)));
    return request;
  }

  static Map<String, Object> revocation(Random random, String name) {
    return random.nextBoolean()
        ? map("jti", "3f0c1a2b-0000-4000-8000-00000000000" + random.nextInt(10))
        : map("name", name);
  }

  static Map<String, Object> verification(String token, String mesh, String name) {
    return map("token", token, "mesh", mesh, "name", name, "type", "dataplane");
  }

  static Map<String, Object> bootstrap(Random random, String token, String mesh, String name) {
    Map<String, Object> request =
        map("mesh", mesh, "name", name, "proxyType", "dataplane", "dataplaneToken", token);
    request.put(
        "version",
        map(
            "kumaDp", map("version", "2.9.0", "gitTag", "v2.9.0"),
            "envoy", map("version", "1.31.0", "build", "hash/1.31.0/RELEASE")));
    if (random.nextBoolean()) {
      request.put("dataplaneResource", Json.write(dataplane(random, mesh, name)));
    }
    if (random.nextBoolean()) {
      request.put("adminPort", 9901);
    }
    return request;
  }

  private static Map<String, Object> meta(String type, String mesh, String name) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("type", type);
    if (mesh != null) {
      meta.put("mesh", mesh);
    }
    meta.put("name", name);
    return meta;
  }

  static Map<String, Object> map(Object... pairs) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], pairs[i + 1]);
    }
    return map;
  }
}

package dev.quma.hostile;

import dev.quma.hostile.HostileRequest.Service;
import dev.quma.hostile.Surface.Body;
import dev.quma.hostile.Surface.Endpoint;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Hostile requests from a seed: the same seed gives the same requests, so that a failure found by a
 * run reproduces. Each request starts as a valid one for an endpoint of {@link Surface}; then its
 * path, query, headers and body are mutated, each with its own probability. About one request in
 * seven is left valid, so that the store fills with resources the hostile ones then meet.
 */
public final class HostileGenerator {
  /** What the generator needs to know about the control plane it aims at. */
  public record Fixtures(
      List<Service> services,
      Map<Service, Integer> ports,
      String adminToken,
      String dataplaneToken) {}

  /** The start of a forged log line: a service's output must never have a line starting so. */
  public static final String FORGED_LINE = Names.FORGED_LINE;

  private static final List<String> PROXY_HEADERS =
      List.of(
          "X-Forwarded-For: 203.0.113.7",
          "X-Forwarded-Host: evil.example",
          "X-Forwarded-Proto: https",
          "Forwarded: for=203.0.113.7",
          "X-Real-IP: 203.0.113.7",
          "X-Client-IP: 203.0.113.7",
          "True-Client-IP: 203.0.113.7",
          "CF-Connecting-IP: 203.0.113.7",
          "Via: 1.1 proxy",
          "x-forwarded-for: 127.0.0.1");

  private final Random random;
  private final Fixtures fixtures;

  public HostileGenerator(long seed, Fixtures fixtures) {
    this.random = new Random(seed);
    this.fixtures = fixtures;
  }

  public HostileRequest next() {
    Service service = fixtures.services().get(random.nextInt(fixtures.services().size()));
    Endpoint endpoint = pickEndpoint(Surface.of(service));
    boolean valid = random.nextInt(7) == 0;
    List<String> recipe = new ArrayList<>();
    recipe.add(endpoint.method() + " " + endpoint.template() + (valid ? " (valid)" : ""));

    String mesh = Names.segment(random, Names.MESHES, valid ? 0 : 0.15);
    String name = Names.segment(random, Names.DATAPLANES, valid ? 0 : 0.15);
    String path =
        endpoint
            .template()
            .replace("{mesh}", mesh)
            .replace("{name}", name)
            .replace("{secret}", Names.segment(random, Names.SECRETS, valid ? 0 : 0.15))
            .replace("{service}", Names.segment(random, Names.SERVICES, valid ? 0 : 0.15))
            .replace(
                "{jti}",
                random.nextBoolean() ? "3f0c1a2b-0000-4000-8000-000000000001" : "not-a-jti")
            .replace(
                "{serial}",
                List.of("1", "2", "0", "-1", "x", "99999999999999999999").get(random.nextInt(6)));
    String method = endpoint.method();
    if (!valid && random.nextInt(12) == 0) {
      method =
          List.of("HEAD", "OPTIONS", "PATCH", "TRACE", "POST", "PUT", "DELETE", "GET", "FOO")
              .get(random.nextInt(9));
      recipe.add("method " + method);
    }
    if (!valid && random.nextInt(8) == 0) {
      path = mutatePath(path, recipe);
    }
    String query = valid ? "" : query(recipe);

    Headers headers = new Headers(fixtures.ports().get(service), fixtures.adminToken());
    byte[] body = null;
    if (endpoint.body() != Body.NONE || (!valid && random.nextInt(20) == 0)) {
      String format =
          valid || random.nextInt(4) != 0 ? (random.nextBoolean() ? "json" : "yaml") : "odd";
      body = body(endpoint.body(), format, mesh, name, valid, recipe);
      headers.contentType(format, service, random, valid, recipe);
    }
    if (!valid) {
      headers.mutate(random, PROXY_HEADERS, recipe);
    } else if (random.nextInt(4) == 0) {
      headers.useAdminToken(recipe);
    }
    return new HostileRequest(
        service,
        method,
        path + query,
        headers.list(),
        body,
        headers.admin(method),
        String.join(" + ", recipe));
  }

  private Endpoint pickEndpoint(List<Endpoint> endpoints) {
    int total = endpoints.stream().mapToInt(Endpoint::weight).sum();
    int roll = random.nextInt(total);
    for (Endpoint endpoint : endpoints) {
      roll -= endpoint.weight();
      if (roll < 0) {
        return endpoint;
      }
    }
    return endpoints.getLast();
  }

  private String mutatePath(String path, List<String> recipe) {
    String mutated =
        switch (random.nextInt(10)) {
          case 0 -> path + "/..";
          case 1 -> path + "/%2e%2e/%2e%2e/global-secrets";
          case 2 -> "/q/../" + path.substring(1);
          case 3 -> "/q/%2E%2E" + path;
          case 4 -> path.replace("/", "//");
          case 5 -> path + "/";
          case 6 -> path.replaceFirst("s", "%73");
          case 7 -> path + "/" + Names.pick(random, Names.HOSTILE_SEGMENTS);
          case 8 -> path.toUpperCase(Locale.ROOT);
          default -> "/" + Names.pick(random, Names.HOSTILE_SEGMENTS) + path;
        };
    recipe.add("path " + HostileRequest.printable(mutated, 60));
    return mutated;
  }

  private String query(List<String> recipe) {
    if (random.nextInt(3) != 0) {
      return "";
    }
    List<String> params = new ArrayList<>();
    int count = 1 + random.nextInt(3);
    for (int i = 0; i < count; i++) {
      params.add(
          switch (random.nextInt(14)) {
            case 0 -> "offset=9223372036854775807";
            case 1 -> "offset=-1";
            case 2 -> "offset=" + random.nextInt(5);
            case 3 -> "size=0";
            case 4 -> "size=1001";
            case 5 -> "size=" + (1 + random.nextInt(3));
            case 6 -> "size=99999999999";
            case 7 -> "name=" + Names.pick(random, Names.HOSTILE_SEGMENTS);
            case 8 ->
                "tag="
                    + List.of("kuma.io/service:redis", "nocolon", ":x", "a:%00", "%zz")
                        .get(random.nextInt(5));
            case 9 ->
                "gateway="
                    + List.of("true", "false", "builtin", "BUILTIN", "maybe")
                        .get(random.nextInt(5));
            case 10 -> "include_eds=" + List.of("true", "yes", "").get(random.nextInt(3));
            case 11 -> "format=" + List.of("json", "yaml", "xml").get(random.nextInt(3));
            case 12 -> "%zz=1";
            default -> "offset";
          });
    }
    String query = "?" + String.join("&", params);
    recipe.add("query " + HostileRequest.printable(query, 60));
    return query;
  }

  private byte[] body(
      Body kind, String format, String mesh, String name, boolean valid, List<String> recipe) {
    String bodyMesh =
        java.net.URLDecoder.decode(
            mesh.replace("+", "%2B").replaceAll("%(?![0-9a-fA-F]{2})", "%25"),
            StandardCharsets.UTF_8);
    String bodyName =
        java.net.URLDecoder.decode(
            name.replace("+", "%2B").replaceAll("%(?![0-9a-fA-F]{2})", "%25"),
            StandardCharsets.UTF_8);
    Object document =
        switch (kind) {
          case MESH -> Documents.mesh(random, bodyMesh);
          case DATAPLANE -> Documents.dataplane(random, bodyMesh, bodyName);
          case SECRET -> Documents.secret(random.nextBoolean() ? bodyMesh : null, "hostile-secret");
          case REVOCATION -> Documents.revocation(random, bodyName);
          case TOKEN_REQUEST -> Documents.tokenRequest(random, bodyMesh, bodyName);
          case VERIFICATION ->
              Documents.verification(fixtures.dataplaneToken(), bodyMesh, bodyName);
          case BOOTSTRAP ->
              Documents.bootstrap(random, fixtures.dataplaneToken(), bodyMesh, bodyName);
          case NONE -> Documents.map("unexpected", "body");
        };
    if (valid) {
      return BodyMutations.bytes(
          format.equals("yaml") ? Yaml.write(document) : Json.write(document));
    }
    BodyMutations mutations = new BodyMutations(random);
    Object tree =
        random.nextInt(5) == 0 ? document : mutations.mutateTree(document, 1 + random.nextInt(3));
    if (format.equals("yaml") && random.nextInt(3) == 0) {
      tree = mutations.yamlShapes(tree);
    }
    byte[] bytes = BodyMutations.bytes(format.equals("yaml") ? Yaml.write(tree) : Json.write(tree));
    if (random.nextInt(5) == 0) {
      bytes = mutations.damage(bytes);
    }
    recipe.addAll(mutations.applied());
    return bytes;
  }
}

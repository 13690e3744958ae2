package dev.quma.hostile;

import dev.quma.hostile.HostileRequest.Service;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A request's headers as the generator builds and mutates them, and its own judgement of whether
 * they carry admin rights (see {@link HostileRequest#admin}), made without the services' code.
 */
final class Headers {
  private final List<Map.Entry<String, String>> headers = new ArrayList<>();
  private final String self;
  private final String adminToken;

  Headers(int port, String adminToken) {
    this.self = "localhost:" + port;
    this.adminToken = adminToken;
    headers.add(Map.entry("Host", self));
  }

  List<Map.Entry<String, String>> list() {
    return List.copyOf(headers);
  }

  void contentType(
      String format, Service service, Random random, boolean valid, List<String> recipe) {
    String type =
        switch (format) {
          case "json" ->
              random.nextInt(4) == 0 ? "application/json; charset=utf-8" : "application/json";
          case "yaml" ->
              service == Service.API
                  ? List.of("application/yaml", "application/x-yaml", "text/yaml")
                      .get(random.nextInt(3))
                  : "application/json";
          default ->
              List.of(
                      "",
                      "text/plain",
                      "multipart/form-data; boundary=x",
                      "application/json;;",
                      "garbage",
                      "application/xml",
                      "*/*",
                      "application/json, text/plain")
                  .get(random.nextInt(8));
        };
    if (!valid && format.equals("odd") && random.nextInt(5) == 0) {
      recipe.add("no Content-Type");
      return;
    }
    if (format.equals("odd")) {
      recipe.add("Content-Type " + type);
    }
    headers.add(Map.entry("Content-Type", type));
  }

  void useAdminToken(List<String> recipe) {
    recipe.add("admin token");
    headers.add(Map.entry("Authorization", "Bearer " + adminToken));
  }

  void mutate(Random random, List<String> proxyHeaders, List<String> recipe) {
    if (random.nextInt(4) == 0) {
      String[] proxy = proxyHeaders.get(random.nextInt(proxyHeaders.size())).split(": ", 2);
      headers.add(Map.entry(proxy[0], proxy[1]));
      recipe.add(proxy[0]);
    }
    if (random.nextInt(7) == 0) {
      hostile(random, recipe);
    }
    if (random.nextInt(7) == 0) {
      String origin =
          List.of(
                  "http://" + self,
                  "http://evil.example",
                  "null",
                  "http://localhost",
                  "https://" + self,
                  "garbage",
                  "http://" + self + "/path")
              .get(random.nextInt(7));
      headers.add(Map.entry("Origin", origin));
      recipe.add("Origin " + origin);
    }
    if (random.nextInt(3) == 0) {
      String authorization =
          switch (random.nextInt(9)) {
            case 0, 1 -> "Bearer " + adminToken;
            case 2 -> "bearer " + adminToken;
            case 3 -> "Bearer not-a-token";
            case 4 ->
                "Bearer eyJhbGciOiJub25lIn0.eyJOYW1lIjoiYWRtaW4iLCJHcm91cHMiOlsibWVzaC1zeXN0ZW06YWRtaW4iXX0.";
            case 5 -> "Basic YWRtaW46YWRtaW4=";
            case 6 -> "Bearer " + "A".repeat(18_000);
            case 7 -> "Bearer " + adminToken.substring(0, adminToken.length() - 2) + "xx";
            default -> "Bearer";
          };
      headers.add(Map.entry("Authorization", authorization));
      recipe.add("Authorization " + HostileRequest.printable(authorization, 24));
    }
    if (random.nextInt(5) == 0) {
      String accept =
          List.of(
                  "garbage",
                  ";;;",
                  "a".repeat(5000),
                  "application/yaml",
                  "application/json;q=0.5, application/yaml",
                  "*/*",
                  "",
                  "text/html",
                  "application/*",
                  "*/json",
                  ", ,",
                  "application/json;q=abc")
              .get(random.nextInt(12));
      headers.add(Map.entry("Accept", accept));
      recipe.add("Accept " + HostileRequest.printable(accept, 24));
    }
    if (random.nextInt(10) == 0) {
      String ifMatch =
          List.of("*", "\"1\"", "W/\"2\"", "garbage", "99999999999999999999", "")
              .get(random.nextInt(6));
      headers.add(Map.entry("If-Match", ifMatch));
      recipe.add("If-Match " + ifMatch);
    }
    if (random.nextInt(12) == 0) {
      switch (random.nextInt(5)) {
        case 0 -> headers.add(Map.entry("X-HTTP-Method-Override", "DELETE"));
        case 1 -> headers.add(Map.entry("Cookie", "session=x; admin=true"));
        case 2 -> {
          for (int i = 0; i < 150; i++) {
            headers.add(Map.entry("X-Many-" + i, "v"));
          }
        }
        case 3 -> headers.add(Map.entry("X-Odd", "value\u0001with\u0002controls"));
        default -> headers.add(Map.entry("Expect", "100-continue"));
      }
      recipe.add("odd header " + headers.getLast().getKey());
    }
  }

  private void hostile(Random random, List<String> recipe) {
    int choice = random.nextInt(9);
    if (choice == 0) {
      headers.removeIf(h -> h.getKey().equals("Host"));
      recipe.add("no Host");
      return;
    }
    if (choice == 1) {
      headers.add(Map.entry("Host", "attacker.example"));
      recipe.add("two Hosts");
      return;
    }
    String host =
        List.of(
                "attacker.example",
                "evil.example:5681",
                "localhost.evil",
                "127.0.0.2",
                "[::1]",
                "LOCALHOST:1",
                "a b",
                "")
            .get(choice - 2 < 8 ? choice - 2 : 0);
    headers.removeIf(h -> h.getKey().equals("Host"));
    headers.add(0, Map.entry("Host", host));
    recipe.add("Host " + host);
  }

  /**
   * Admin rights, as the rules say: an admin user token; or no credentials at all from a loopback
   * peer (the generator always sends from one) naming a loopback host, without proxy headers, and
   * for a read with an {@code Origin} only the page's own.
   */
  boolean admin(String method) {
    List<String> authorizations = values("Authorization");
    if (authorizations.size() == 1 && !authorizations.get(0).isBlank()) {
      String value = authorizations.get(0);
      return value.regionMatches(true, 0, "Bearer ", 0, 7)
          && value.substring(7).trim().equals(adminToken);
    }
    if (!authorizations.isEmpty()) {
      return false;
    }
    for (Map.Entry<String, String> header : headers) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (name.equals("forwarded")
          || name.startsWith("x-forwarded-")
          || name.equals("via")
          || name.equals("x-real-ip")
          || name.equals("x-client-ip")
          || name.equals("true-client-ip")
          || name.equals("cf-connecting-ip")) {
        return false;
      }
    }
    List<String> hosts = values("Host");
    if (hosts.size() != 1 || !isLoopback(hosts.get(0))) {
      return false;
    }
    // An Origin names the page's server: its host and port, over either scheme (one port serves
    // one scheme, so no other page can claim it).
    List<String> origins = values("Origin");
    return origins.isEmpty()
        || origins.size() == 1
            && (origins.get(0).equalsIgnoreCase("http://" + hosts.get(0))
                || origins.get(0).equalsIgnoreCase("https://" + hosts.get(0)));
  }

  private static boolean isLoopback(String host) {
    String name = host.toLowerCase(Locale.ROOT).replaceFirst(":[0-9]+$", "");
    return name.equals("localhost") || name.equals("127.0.0.1") || name.equals("[::1]");
  }

  private List<String> values(String name) {
    return headers.stream()
        .filter(h -> h.getKey().equalsIgnoreCase(name))
        .map(Map.Entry::getValue)
        .toList();
  }
}

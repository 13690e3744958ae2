package dev.quma.hostile;

import java.util.List;
import java.util.Random;

/**
 * What fills a path segment or a name field: mostly a few valid names (so that requests meet the
 * resources earlier ones created, and the keyspace stays small), sometimes one of the names the
 * issue's attackers used, percent-encoded as a client would send it.
 */
final class Names {
  private Names() {}

  /** The start of a forged log line, looked for in the services' output after a run. */
  static final String FORGED_LINE = "FORGED-LOG-LINE";

  static final List<String> MESHES = List.of("default", "hostile-a", "hostile-b", "hostile-c");
  static final List<String> DATAPLANES =
      List.of("redis-1", "backend-1", "web-1", "web-2", "gw-1", "dp-x");
  static final List<String> SECRETS = List.of("hostile-secret", "canary-copy", "s-1");
  static final List<String> SERVICES = List.of("redis", "backend", "web");

  /** Raw path segments: already encoded (or deliberately not) as they go on the wire. */
  static final List<String> HOSTILE_SEGMENTS =
      List.of(
          "",
          ".",
          "..",
          "%2e%2e",
          ".%2E",
          "%2E",
          "a%2Fb",
          "a%5Cb",
          "%00",
          "a%0d%0a" + FORGED_LINE + "%20ERROR%20%5BFAKE%5D",
          "%0a" + FORGED_LINE,
          "%1b%5b31m",
          "%zz",
          "%4",
          "%c3%28",
          "%ff%fe",
          "UPPER",
          "%C3%BC",
          "with%20space",
          "a+b",
          "x;y=1",
          "a%3Bb",
          "*",
          "%2A",
          "_overview",
          "-start",
          "end-",
          "a..b",
          "a".repeat(254),
          "b".repeat(5000),
          "%24%7Bjndi%3Aldap%3A%2F%2Fx%7D",
          "%3Cscript%3E",
          "admin-user-token",
          "1",
          "0x10",
          "null",
          "%20",
          "~");

  static <T> T pick(Random random, List<T> pool) {
    return pool.get(random.nextInt(pool.size()));
  }

  /** A value for a template variable: valid from {@code pool} mostly, hostile sometimes. */
  static String segment(Random random, List<String> pool, double hostile) {
    return random.nextDouble() < hostile ? pick(random, HOSTILE_SEGMENTS) : pick(random, pool);
  }

  /** A name for a body field: the URL's own most often, else something else. */
  static Object field(Random random, String urlName) {
    double roll = random.nextDouble();
    if (roll < 0.8) {
      return decodedOrRaw(urlName);
    }
    if (roll < 0.9) {
      return pick(random, HOSTILE_VALUES);
    }
    return Values.wrongType(random);
  }

  static final List<Object> HOSTILE_VALUES =
      List.of(
          "",
          ".",
          "..",
          "a/b",
          "a\nb",
          "x\n" + FORGED_LINE + " ERROR [FAKE] forged",
          "\u001b[31mred",
          "ü",
          "UPPER",
          "a".repeat(300),
          "\u0000",
          "\ud800",
          "${jndi:ldap://x}");

  private static String decodedOrRaw(String segment) {
    try {
      return java.net.URLDecoder.decode(
          segment.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return segment;
    }
  }
}

package dev.quma.api.auth;

import java.util.Set;

/** Which requests need an admin, and which need any authenticated caller. */
final class AccessRules {
  private AccessRules() {}

  private static final Set<String> READ_METHODS = Set.of("GET", "HEAD", "OPTIONS");

  /** Writes, and reads of secrets (they hold keys and tokens). */
  static boolean needsAdmin(String method, String path) {
    return !READ_METHODS.contains(method) || isSecretPath(path);
  }

  static boolean isSecretPath(String path) {
    return path.startsWith("/global-secrets") || path.matches("^/meshes/[^/]+/secrets(/.*)?$");
  }

  /** Health and metrics stay reachable for probes and scrapers. */
  static boolean isOperationsPath(String path) {
    return path.startsWith("/q/");
  }
}

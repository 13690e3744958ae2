package dev.quma.api.auth;

import dev.quma.http.auth.AccessPolicy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Kuma's rules for the resource API, plus: secrets and the configuration ({@code /config}) are for
 * admins only, reads included. The GUI's token pass-through ({@code /gui/api/tokens/...}) follows
 * the same rules here; the token-service then judges the caller's own token.
 */
@ApplicationScoped
public class ApiAccessPolicy implements AccessPolicy {
  @Override
  public Access required(String method, String path) {
    // The GUI's entry redirect; its files are static and never reach this filter.
    if (AccessPolicy.isOperations(path) || path.equals("/gui")) {
      return Access.PUBLIC;
    }
    // "/config/" routes to /config too (found by bin/bench hostile: a 200 without admin rights).
    if (!AccessPolicy.isRead(method) || isSecretPath(path) || path.matches("^/config/*$")) {
      return Access.ADMIN;
    }
    return Access.READ;
  }

  static boolean isSecretPath(String path) {
    return path.startsWith("/global-secrets") || path.matches("^/meshes/[^/]+/secrets(/.*)?$");
  }
}

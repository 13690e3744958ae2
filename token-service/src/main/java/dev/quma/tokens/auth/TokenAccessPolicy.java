package dev.quma.tokens.auth;

import dev.quma.http.auth.AccessPolicy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Everything this service does is for admins, reads included (the ledger names every proxy and
 * token id); only health and metrics are public.
 */
@ApplicationScoped
public class TokenAccessPolicy implements AccessPolicy {
  @Override
  public Access required(String method, String path) {
    return AccessPolicy.isOperations(path) ? Access.PUBLIC : Access.ADMIN;
  }
}

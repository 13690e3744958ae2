package dev.quma.http.auth;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;

/** Kuma's default: reads are open, writes need an admin; health and metrics are public. */
@DefaultBean
@ApplicationScoped
public class DefaultAccessPolicy implements AccessPolicy {
  @Override
  public Access required(String method, String path) {
    if (AccessPolicy.isOperations(path)) {
      return Access.PUBLIC;
    }
    return AccessPolicy.isRead(method) ? Access.READ : Access.ADMIN;
  }
}

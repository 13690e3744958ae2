package dev.quma.http.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How HTTP callers are authenticated, the same in every service. */
@ConfigMapping(prefix = "quma.auth")
public interface AuthConfig {
  /**
   * Requests from loopback are admin, as Kuma's {@code KUMA_API_SERVER_AUTHN_LOCALHOST_IS_ADMIN}.
   */
  @WithDefault("true")
  boolean localhostIsAdmin();

  /** When true, reads need a valid user token too (they are open by default, as in Kuma). */
  @WithDefault("false")
  boolean readsRequireAuth();
}

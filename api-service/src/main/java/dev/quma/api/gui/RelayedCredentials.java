package dev.quma.api.gui;

import dev.quma.core.auth.Caller;
import dev.quma.core.auth.UserTokens;
import dev.quma.http.auth.CurrentCaller;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.core.HttpHeaders;

/**
 * What a request forwarded to the token-service carries of its caller: the caller's own {@code
 * Authorization}, and the caller's address after any proxies' list ({@code X-Forwarded-For}), so
 * that the token-service never takes a relayed request for a local one.
 *
 * <p>One caller has no credentials to forward and is admin all the same: a client on the control
 * plane's host, admin by the API's "localhost is admin" rule (a loopback peer, a loopback Host, no
 * proxy header). The token-service would take the same caller as admin if it called it directly, so
 * for that caller alone the request carries the initial admin token instead. No one else gains a
 * right by going through the API: the token-service judges their own token.
 */
@RequestScoped
public class RelayedCredentials {
  private final CurrentCaller caller;
  private final UserTokens userTokens;

  public RelayedCredentials(CurrentCaller caller, UserTokens userTokens) {
    this.caller = caller;
    this.userTokens = userTokens;
  }

  /** The caller's own Authorization; for the local admin without one, the admin token. */
  public Uni<String> authorization(HttpHeaders headers) {
    String own = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
    if ((own == null || own.isBlank()) && Caller.LOCALHOST_ADMIN.equals(caller.get())) {
      return userTokens.adminToken().map(token -> "Bearer " + token);
    }
    return Uni.createFrom().item(own);
  }

  /** The caller's address, after any proxies' list the request already carries. */
  public static String callerChain(HttpHeaders headers, HttpServerRequest request) {
    String caller =
        request.remoteAddress() == null || request.remoteAddress().hostAddress() == null
            ? "unknown"
            : request.remoteAddress().hostAddress();
    String before = headers.getHeaderString("X-Forwarded-For");
    return before == null || before.isBlank() ? caller : before + ", " + caller;
  }
}

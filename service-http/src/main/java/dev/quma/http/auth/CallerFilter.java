package dev.quma.http.auth;

import dev.quma.core.auth.Caller;
import dev.quma.core.auth.InvalidTokenException;
import dev.quma.core.auth.UserTokens;
import dev.quma.http.edge.HostHeader;
import dev.quma.http.errors.KumaError;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Establishes who is calling, Kuma's way: local callers are admin (unless switched off; see {@link
 * LocalhostAdmin} for what is local), others present {@code Authorization: Bearer <user token>}.
 * Then it enforces the service's {@link AccessPolicy}, on the path the request is routed by.
 * ({@link CrossOriginWrites} has already refused state-changing requests from pages of other
 * origins.)
 */
public class CallerFilter {
  private final AuthConfig config;
  private final AccessPolicy policy;
  private final UserTokens tokens;
  private final CurrentCaller current;

  @Inject
  public CallerFilter(
      AuthConfig config, AccessPolicy policy, UserTokens tokens, CurrentCaller current) {
    this.config = config;
    this.policy = policy;
    this.tokens = tokens;
    this.current = current;
  }

  @ServerRequestFilter
  public Uni<Response> authenticate(
      ContainerRequestContext context, HttpServerRequest request, RoutingContext routing) {
    // The path the router matched (percent-decoded, dot segments and empty ones removed), so that
    // no spelling of a path reaches an endpoint under another access rule.
    String path = routing.normalizedPath();
    String method = context.getMethod();
    String origin = context.getHeaderString("Origin");
    AccessPolicy.Access access = policy.required(method, path);
    if (access == AccessPolicy.Access.PUBLIC) {
      return Uni.createFrom().nullItem();
    }
    String authorization = context.getHeaderString(HttpHeaders.AUTHORIZATION);
    Uni<Caller> caller;
    if (authorization != null && !authorization.isBlank()) {
      if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
        return Uni.createFrom()
            .item(unauthenticated("the Authorization header must be \"Bearer <user token>\""));
      }
      caller = tokens.verify(authorization.substring(7).trim());
    } else if (config.localhostIsAdmin() && isLocal(origin, request)) {
      caller = Uni.createFrom().item(Caller.LOCALHOST_ADMIN);
    } else {
      caller = Uni.createFrom().item(Caller.ANONYMOUS);
    }
    return caller
        .map(
            who -> {
              current.set(who);
              return decide(who, access, method, path);
            })
        .onFailure(InvalidTokenException.class)
        .recoverWithItem(e -> unauthenticated("the user token was refused: " + e.getMessage()));
  }

  private Response decide(Caller who, AccessPolicy.Access access, String method, String path) {
    if (access == AccessPolicy.Access.ADMIN) {
      if (!who.authenticated()) {
        return unauthenticated(
            method
                + " "
                + path
                + " needs an admin: send \"Authorization: Bearer <admin user token>\"");
      }
      if (!who.admin()) {
        return forbidden(
            "user \"" + who.name() + "\" is not an admin and cannot " + method + " " + path);
      }
    } else if (config.readsRequireAuth() && !who.authenticated()) {
      return unauthenticated(
          "reads need a user token on this control plane: send \"Authorization: Bearer <user token>\"");
    }
    return null;
  }

  /**
   * Local (see {@link LocalhostAdmin}), and not sent by a browser page of another origin: with CORS
   * open, any web page a local browser shows could otherwise read as admin from the local API.
   */
  private static boolean isLocal(String origin, HttpServerRequest request) {
    return (origin == null || SameOrigin.matches(origin, HostHeader.of(request)))
        && LocalhostAdmin.admits(request);
  }

  private static Response unauthenticated(String detail) {
    return Response.status(401)
        .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(KumaError.of(401, "Unauthenticated", detail, List.of(), null))
        .build();
  }

  private static Response forbidden(String detail) {
    return Response.status(403)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(KumaError.of(403, "Access Denied", detail, List.of(), null))
        .build();
  }
}

package dev.quma.http.auth;

import dev.quma.http.edge.ErrorBodies;
import dev.quma.http.edge.HostHeader;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Cross-site request forgery. A state-changing request whose {@code Origin} does not name the host
 * it was sent to comes from a page of another origin: without a user token it is refused (403),
 * since all it could act with is what the browser's position gives it (localhost's admin rights).
 * With one ({@code Authorization}, which a browser never adds by itself) it is an API client like
 * any other, judged by its token and by the CORS method list. One whose {@code Origin} names the
 * host (the GUI's own page) is not cross-origin: the header is dropped, so that the CORS filter
 * does not apply its cross-origin method list to it.
 */
@ApplicationScoped
public class CrossOriginWrites {
  void register(@Observes Filters filters) {
    filters.register(
        context -> {
          HttpServerRequest request = context.request();
          String origin = request.getHeader("Origin");
          String authorization = request.getHeader("Authorization");
          if (origin == null || AccessPolicy.isRead(request.method().name())) {
            context.next();
          } else if (SameOrigin.matches(origin, HostHeader.of(request))) {
            request.headers().remove("Origin");
            context.next();
          } else if (authorization != null && !authorization.isBlank()) {
            context.next();
          } else {
            ErrorBodies.send(
                context.response(),
                403,
                "Access Denied",
                request.method().name()
                    + " from a page of another origin is refused: its Origin ("
                    + ErrorBodies.printable(origin)
                    + ") must name this host, or the request carry a user token");
          }
        },
        ErrorBodies.EDGE_FILTERS);
  }
}

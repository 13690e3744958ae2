package dev.quma.http.auth;

import dev.quma.http.edge.ErrorBodies;
import dev.quma.http.edge.HostHeader;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Cross-site request forgery: a state-changing request whose {@code Origin} does not name the host
 * it was sent to comes from a page of another origin, and is refused (403) whatever credentials it
 * carries. One whose {@code Origin} does name it (the GUI's own page) is not cross-origin: the
 * header is dropped, so that the CORS filter does not apply its cross-origin method list to it and
 * the caller filter treats it like a request without one.
 */
@ApplicationScoped
public class CrossOriginWrites {
  void register(@Observes Filters filters) {
    filters.register(
        context -> {
          HttpServerRequest request = context.request();
          String origin = request.getHeader("Origin");
          if (origin == null || AccessPolicy.isRead(request.method().name())) {
            context.next();
          } else if (SameOrigin.matches(origin, HostHeader.of(request))) {
            request.headers().remove("Origin");
            context.next();
          } else {
            ErrorBodies.send(
                context.response(),
                403,
                "Access Denied",
                request.method().name()
                    + " from a page of another origin is refused: its Origin ("
                    + ErrorBodies.printable(origin)
                    + ") must name this host");
          }
        },
        ErrorBodies.EDGE_FILTERS);
  }
}

package dev.quma.api.gui;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Lets the GUI's own page POST to its pass-through. A browser sends {@code Origin} with every POST,
 * same-origin ones included, and Quarkus' CORS filter then applies the cross-origin method list
 * (reads only, by default) to it as well. For {@code /gui/api/} requests whose {@code Origin} is
 * exactly this server's own, the header is dropped before that filter: such a request is not
 * cross-origin, and the caller filter treats a same-origin {@code Origin} like none. Requests from
 * other origins keep their header and are refused as before.
 */
@ApplicationScoped
public class SameOriginWrites {
  void register(@Observes Filters filters) {
    filters.register(
        context -> {
          HttpServerRequest request = context.request();
          String origin = request.getHeader("Origin");
          if (origin != null
              && request.path().startsWith("/gui/api/")
              && origin.equalsIgnoreCase(request.scheme() + "://" + request.host())) {
            request.headers().remove("Origin");
          }
          context.next();
        },
        Integer.MAX_VALUE);
  }
}

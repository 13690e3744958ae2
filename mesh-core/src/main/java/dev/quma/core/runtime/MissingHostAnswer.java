package dev.quma.core.runtime;

import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * An HTTP/1.1 request without a {@code Host} header (or with one Vert.x cannot read as a host) is
 * failed by Vert.x' router before any filter runs (400), and Quarkus' error handler then logged it
 * as an ERROR with its own body. It is bad input, not a server error: Kuma's error body, and a
 * DEBUG line.
 */
@ApplicationScoped
public class MissingHostAnswer {
  private static final Logger LOG = Logger.getLogger(MissingHostAnswer.class);

  void mainPort(@Observes Router router) {
    router.route().order(Integer.MIN_VALUE).failureHandler(MissingHostAnswer::answer);
  }

  void managementPort(@Observes ManagementInterface management) {
    management.router().route().order(Integer.MIN_VALUE).failureHandler(MissingHostAnswer::answer);
  }

  private static void answer(RoutingContext context) {
    HttpServerRequest request = context.request();
    if (context.statusCode() != 400
        || request.version() == HttpVersion.HTTP_2
        || request.authority() != null
        || context.response().headWritten()) {
      context.next();
      return;
    }
    boolean sent = request.headers().contains("Host");
    LOG.debugf(
        "refused %s %s: %s (400)",
        request.method(),
        request.path(),
        sent ? "a Host header that is no host" : "no Host header");
    EdgeAnswer.send(
        context.response(),
        400,
        "Bad request",
        sent
            ? "the Host header is not a host name or address with an optional port"
            : "send exactly one Host header");
  }
}

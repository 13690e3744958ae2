package dev.quma.core.runtime;

import io.quarkus.vertx.http.ManagementInterface;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Health and metrics ({@code /q/health*}, {@code /q/metrics}: everything under Quarkus'
 * non-application root) are read-only: any method but GET and HEAD is 405 with {@code Allow}, on
 * the main port and on a management port. Quarkus itself answers every method with the health or
 * the metrics, so that a {@code DELETE /q/health/ready} looked like a write that succeeded.
 */
@ApplicationScoped
public class ReadOnlyManagementEndpoints {
  static final String ALLOW = "GET, HEAD";

  // First of all filters, before the REST services' edge (service-http).
  private static final int PRIORITY = Integer.MAX_VALUE;

  private final String root;

  public ReadOnlyManagementEndpoints(
      @ConfigProperty(name = "quarkus.http.non-application-root-path", defaultValue = "/q")
          String root) {
    String prefix = root.startsWith("/") ? root : "/" + root;
    this.root = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
  }

  void mainPort(@Observes Filters filters) {
    filters.register(this::refuseWrites, PRIORITY);
  }

  void managementPort(@Observes ManagementInterface management) {
    management.router().route().order(Integer.MIN_VALUE).handler(this::refuseWrites);
  }

  private void refuseWrites(RoutingContext context) {
    HttpMethod method = context.request().method();
    if (method == HttpMethod.GET
        || method == HttpMethod.HEAD
        || !managed(context.normalizedPath())) {
      context.next();
      return;
    }
    context.response().putHeader("Allow", ALLOW);
    EdgeAnswer.send(
        context.response(),
        405,
        "Method not allowed",
        "health and metrics are read-only: use GET or HEAD");
  }

  private boolean managed(String path) {
    return path != null && (path.equals(root) || path.startsWith(root + "/"));
  }
}

package dev.quma.http.edge;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Refuses, with 400 and Kuma's error body, requests that {@link RequestSyntax} finds malformed,
 * before routing: no endpoint, access rule or header parser ever sees such a request.
 */
@ApplicationScoped
public class RequestSyntaxFilter {
  void register(@Observes Filters filters) {
    filters.register(
        context -> {
          String problem = problem(context.request());
          if (problem == null) {
            dropEmptyAcceptElements(context.request());
            context.next();
            return;
          }
          ErrorBodies.send(context.response(), 400, "Bad request", problem);
        },
        ErrorBodies.EDGE_FILTERS);
  }

  /**
   * An {@code Accept} of nothing but empty list elements accepts anything, as if absent; the REST
   * layer would fail to parse the empty elements, so they are dropped.
   */
  private static void dropEmptyAcceptElements(HttpServerRequest request) {
    List<String> values = request.headers().getAll("Accept");
    if (values.isEmpty() || values.stream().noneMatch(v -> v.isBlank() || v.contains(","))) {
      return;
    }
    String kept =
        values.stream()
            .flatMap(v -> Arrays.stream(v.split(",", -1)))
            .map(String::trim)
            .filter(e -> !e.isEmpty())
            .collect(Collectors.joining(", "));
    if (kept.isEmpty()) {
      request.headers().remove("Accept");
    } else {
      request.headers().set("Accept", kept);
    }
  }

  static String problem(HttpServerRequest request) {
    String problem = RequestSyntax.hostProblem(HostHeader.of(request));
    if (problem == null) {
      problem = RequestSyntax.pathProblem(request.path());
    }
    if (problem == null) {
      problem = RequestSyntax.queryProblem(request.query());
    }
    if (problem == null) {
      problem = RequestSyntax.acceptProblem(request.headers().getAll("Accept"));
    }
    if (problem == null) {
      problem = RequestSyntax.contentTypeProblem(request.headers().getAll("Content-Type"));
    }
    return problem;
  }
}

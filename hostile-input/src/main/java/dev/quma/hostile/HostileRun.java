package dev.quma.hostile;

import dev.quma.hostile.HostileRequest.Service;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sends generated requests one after the other (so that each refused one can be checked against the
 * store before and after it) and tallies the answers by service and status, and every violation of
 * the {@link Oracle} with its reproduction.
 */
public final class HostileRun {
  /** Where a service listens. */
  public record Endpoint(String host, int port, boolean tls) {}

  /** The tallies of a run. */
  public record Report(
      long cases,
      Map<Service, Map<Integer, Long>> statuses,
      Map<Oracle.Kind, Long> violations,
      List<String> examples,
      Duration elapsed) {

    public long violationCount() {
      return violations.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The counts, one line per service and status, then the violations. */
    public String summary() {
      StringBuilder out = new StringBuilder();
      out.append(cases).append(" hostile requests in ").append(elapsed.toSeconds()).append(" s\n");
      statuses.forEach(
          (service, byStatus) -> {
            out.append("  ").append(service).append(':');
            byStatus.forEach(
                (status, count) ->
                    out.append(' ')
                        .append(status < 0 ? "no answer" : status)
                        .append('=')
                        .append(count));
            out.append('\n');
          });
      long fiveHundreds =
          statuses.values().stream()
              .flatMap(m -> m.entrySet().stream())
              .filter(e -> e.getKey() >= 500)
              .mapToLong(Map.Entry::getValue)
              .sum();
      out.append("  5xx answers: ").append(fiveHundreds).append('\n');
      for (Oracle.Kind kind : Oracle.Kind.values()) {
        out.append("  ")
            .append(kind)
            .append(": ")
            .append(violations.getOrDefault(kind, 0L))
            .append('\n');
      }
      for (String example : examples) {
        out.append("---\n").append(example).append('\n');
      }
      return out.toString();
    }
  }

  private static final int MAX_EXAMPLES = 20;

  private final Map<Service, Endpoint> endpoints;
  private final RedisSnapshot store;
  private final Oracle oracle;

  public HostileRun(Map<Service, Endpoint> endpoints, RedisSnapshot store, Oracle oracle) {
    this.endpoints = endpoints;
    this.store = store;
    this.oracle = oracle;
  }

  public Report run(HostileGenerator generator, long cases) throws IOException {
    long started = System.nanoTime();
    Map<Service, RawHttp> clients = new EnumMap<>(Service.class);
    endpoints.forEach(
        (service, at) ->
            clients.put(
                service, new RawHttp(at.host(), at.port(), at.tls(), Duration.ofSeconds(30))));
    Map<Service, Map<Integer, Long>> statuses = new EnumMap<>(Service.class);
    Map<Oracle.Kind, Long> violations = new EnumMap<>(Oracle.Kind.class);
    List<String> examples = new ArrayList<>();
    try {
      Map<String, String> before = store.take();
      for (long i = 0; i < cases; i++) {
        HostileRequest request = generator.next();
        RawHttp.Response response = send(clients.get(request.service()), request);
        Map<String, String> after = store.take();
        List<String> changes =
            response.status() >= 400 || response.status() < 0
                ? RedisSnapshot.differences(before, after)
                : List.of();
        before = after;
        statuses
            .computeIfAbsent(request.service(), s -> new TreeMap<>())
            .merge(response.status(), 1L, Long::sum);
        for (Oracle.Violation violation : oracle.judge(request, response, changes)) {
          violations.merge(violation.kind(), 1L, Long::sum);
          if (examples.size() < MAX_EXAMPLES) {
            examples.add(
                "case "
                    + i
                    + ": "
                    + violation.kind()
                    + " "
                    + violation.detail()
                    + "\n  recipe: "
                    + request.recipe()
                    + "\n  "
                    + request.describe());
          }
        }
      }
    } finally {
      clients.values().forEach(RawHttp::close);
    }
    return new Report(
        cases, statuses, violations, examples, Duration.ofNanos(System.nanoTime() - started));
  }

  private static RawHttp.Response send(RawHttp client, HostileRequest request) {
    try {
      return client.send(
          RawHttp.request(request.method(), request.target(), request.headers(), request.body()),
          request.method().equals("HEAD"));
    } catch (IOException e) {
      // The server closed the connection while the request was still being written (e.g. after a
      // 413 for a large body): no answer, which the report shows apart.
      client.close();
      return new RawHttp.Response(-1, Map.of(), new byte[0]);
    }
  }
}

package dev.quma.bench;

import dev.quma.hostile.HostileRequest.Service;
import dev.quma.hostile.HostileRun;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code bin/bench hostile [N]}: N (default 100,000) hostile requests from the seeded generator
 * against api-service, token-service and bootstrap-service, each a process on a store of its own;
 * prints the counts by service and status and every violation of the oracle, writes them to {@code
 * bench/results/hostile-<UTC stamp>.json}, and exits 1 when anything was found. The CI test ({@code
 * HostileInputTest}) runs the same with fewer cases.
 */
public final class HostileBenchmark {
  public static final long DEFAULT_SEED = 15;

  public static void main(String[] args) throws Exception {
    long cases = args.length > 0 && args[0].matches("[0-9]+") ? Long.parseLong(args[0]) : 100_000;
    cases = BenchSupport.intArg(args, "--cases", (int) cases);
    long seed = BenchSupport.intArg(args, "--seed", (int) DEFAULT_SEED);
    List<Service> services = services(stringArg(args, "--services", "api,tokens,bootstrap"));
    Path home = Path.of(System.getProperty("quma.home", ".")).toAbsolutePath().normalize();
    Path log = home.resolve("bench/target/hostile-services.log");

    Map<String, Object> report = BenchSupport.report("hostile");
    report.put("seed", seed);
    report.put("cases", cases);
    report.put("services", services.toString());
    HostileRun.Report run;
    long forged;
    try (HostileControlPlane plane = HostileControlPlane.start(home, log)) {
      System.out.printf("%d hostile requests, seed %d, against %s%n", cases, seed, services);
      run = plane.run(seed, cases, services);
      forged = plane.forgedLogLines();
    }
    System.out.print(run.summary());
    System.out.println("  5xx (every one a violation): " + serverErrors(run));
    System.out.println("  forged log lines: " + forged);
    System.out.println("  the services' output: " + log);
    report.put("elapsed_seconds", run.elapsed().toSeconds());
    report.put("by_status", byStatus(run));
    Map<String, Object> byService = new LinkedHashMap<>();
    run.statuses().forEach((service, counts) -> byService.put(service.name(), named(counts)));
    report.put("by_service_and_status", byService);
    report.put("server_errors", serverErrors(run));
    Map<String, Object> violations = new LinkedHashMap<>();
    run.violations().forEach((kind, count) -> violations.put(kind.name(), count));
    report.put("violations", violations);
    report.put("forged_log_lines", forged);
    report.put("examples", run.examples().toString());
    BenchSupport.writeResults(home.resolve("bench/results"), "hostile", report);
    System.exit(run.violationCount() == 0 && forged == 0 ? 0 : 1);
  }

  /** Counts by status over every service ("no answer" for a connection closed before one). */
  static Map<String, Object> byStatus(HostileRun.Report run) {
    Map<Integer, Long> total = new TreeMap<>();
    run.statuses().values().forEach(m -> m.forEach((s, n) -> total.merge(s, n, Long::sum)));
    return named(total);
  }

  static long serverErrors(HostileRun.Report run) {
    return run.statuses().values().stream()
        .flatMap(m -> m.entrySet().stream())
        .filter(e -> e.getKey() >= 500)
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  private static Map<String, Object> named(Map<Integer, Long> counts) {
    Map<String, Object> out = new LinkedHashMap<>();
    counts.forEach((status, n) -> out.put(status < 0 ? "no answer" : String.valueOf(status), n));
    return out;
  }

  static List<Service> services(String list) {
    return Arrays.stream(list.split(","))
        .map(String::trim)
        .map(
            name ->
                switch (name.toLowerCase(Locale.ROOT)) {
                  case "api" -> Service.API;
                  case "tokens" -> Service.TOKENS;
                  case "bootstrap" -> Service.BOOTSTRAP;
                  default ->
                      throw new IllegalArgumentException(
                          "--services: api, tokens or bootstrap, not " + name);
                })
        .toList();
  }

  private static String stringArg(String[] args, String name, String fallback) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }
}

package dev.quma.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** What every benchmark does the same way: its options, its medians, its results file. */
final class BenchSupport {
  private BenchSupport() {}

  /** The integer after {@code name} on the command line, else {@code fallback}. */
  static int intArg(String[] args, String name, int fallback) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return fallback;
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  /** A new report: the benchmark's name, when it ran and on what machine; callers add figures. */
  static Map<String, Object> report(String benchmark) {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("benchmark", benchmark);
    report.put("when", Instant.now().toString());
    report.put("machine", machine());
    return report;
  }

  /** A report's "machine" block: cores, Java, and the load average when the run started. */
  static Map<String, Object> machine() {
    return Map.of(
        "cpus", Runtime.getRuntime().availableProcessors(),
        "java", System.getProperty("java.version"),
        "load_average_at_start", loadAverage());
  }

  /** The machine's load average as /proc shows it: the context every figure needs. */
  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  /**
   * The packaged api-service on {@code port}, with {@code env} besides its port: how every
   * benchmark that talks to the API starts it.
   */
  static dev.quma.launcher.ServiceSpec apiService(Path home, int port, Map<String, String> env) {
    Map<String, String> all = new java.util.LinkedHashMap<>(env);
    all.put("KUMA_API_SERVER_HTTP_PORT", String.valueOf(port));
    return new dev.quma.launcher.ServiceSpec(
        "api-service",
        home.resolve("api-service/target/quarkus-app/quarkus-run.jar"),
        port,
        "HTTP API",
        Map.copyOf(all));
  }

  /** Writes {@code report} to {@code dir/{benchmark}-{UTC timestamp}.json} and says where. */
  static void writeResults(Path dir, String benchmark, Map<String, Object> report)
      throws IOException {
    Files.createDirectories(dir);
    String stamp =
        DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC)
            .format(Instant.now());
    Path file = dir.resolve(benchmark + "-" + stamp + ".json");
    Files.writeString(file, Json.write(report) + "\n");
    System.out.println("results written to " + file);
  }
}

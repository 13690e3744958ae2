package dev.quma.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * Rounds of a load, each timed, with the CPU that each process taking part spent per request: what
 * the throughput benchmarks report, as medians over the rounds.
 */
final class LoadRounds {
  private LoadRounds() {}

  /** Runs the load for a while and answers how many requests it completed. */
  interface Load {
    long run(Duration duration) throws Exception;
  }

  /**
   * The rounds' figures.
   *
   * @param perSecond requests per second, one per round
   * @param cpuMsPerRequest per process (in the order given), its CPU milliseconds per request, one
   *     per round
   */
  record Result(double[] perSecond, Map<String, double[]> cpuMsPerRequest) {
    double medianPerSecond() {
      return BenchSupport.median(perSecond);
    }

    double medianCpuMs(String process) {
      return BenchSupport.median(cpuMsPerRequest.get(process));
    }

    /** The median CPU milliseconds per request of each process, rounded to {@code decimals}. */
    Map<String, Object> medianCpuMs(int decimals) {
      double scale = Math.pow(10, decimals);
      Map<String, Object> out = new LinkedHashMap<>();
      cpuMsPerRequest.forEach(
          (process, ms) -> out.put(process, Math.round(BenchSupport.median(ms) * scale) / scale));
      return out;
    }

    /** {@code median_UNIT} and {@code rounds_UNIT} for a report. */
    Map<String, Object> throughput(String unit) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("median_" + unit, Math.round(medianPerSecond()));
      out.put(
          "rounds_" + unit,
          Arrays.stream(perSecond).mapToLong(Math::round).boxed().toList().toString());
      return out;
    }
  }

  /**
   * {@code rounds} rounds of {@code seconds} each; {@code cpuSeconds} gives each process's CPU
   * seconds so far (read before and after every round). Prints a line per round.
   */
  static Result measure(
      int rounds, int seconds, String what, Load load, Map<String, DoubleSupplier> cpuSeconds)
      throws Exception {
    double[] perSecond = new double[rounds];
    Map<String, double[]> cpu = new LinkedHashMap<>();
    cpuSeconds.keySet().forEach(process -> cpu.put(process, new double[rounds]));
    for (int round = 0; round < rounds; round++) {
      Map<String, Double> before = read(cpuSeconds);
      long done = load.run(Duration.ofSeconds(seconds));
      Map<String, Double> after = read(cpuSeconds);
      perSecond[round] = done / (double) seconds;
      StringBuilder line =
          new StringBuilder(
              "  round %d: %.0f %s/s; CPU per request:"
                  .formatted(round + 1, perSecond[round], what));
      for (String process : cpuSeconds.keySet()) {
        double ms = (after.get(process) - before.get(process)) * 1e3 / Math.max(1, done);
        cpu.get(process)[round] = ms;
        line.append(" %s %.3f ms".formatted(process, ms));
      }
      System.out.println(line);
    }
    return new Result(perSecond, cpu);
  }

  private static Map<String, Double> read(Map<String, DoubleSupplier> cpuSeconds) {
    Map<String, Double> out = new LinkedHashMap<>();
    cpuSeconds.forEach((process, seconds) -> out.put(process, seconds.getAsDouble()));
    return out;
  }
}

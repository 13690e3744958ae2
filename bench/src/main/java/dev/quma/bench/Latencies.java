package dev.quma.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Recorded latencies of one kind of request, and their percentiles in milliseconds. */
final class Latencies {
  private final String name;
  private long[] nanos = new long[1024];
  private int count;

  Latencies(String name) {
    this.name = name;
  }

  void record(long elapsedNanos) {
    if (count == nanos.length) {
      nanos = Arrays.copyOf(nanos, count * 2);
    }
    nanos[count++] = elapsedNanos;
  }

  String name() {
    return name;
  }

  int count() {
    return count;
  }

  double percentileMillis(double percentile) {
    long[] sorted = Arrays.copyOf(nanos, count);
    Arrays.sort(sorted);
    int index = (int) Math.ceil(percentile / 100.0 * count) - 1;
    return sorted[Math.max(0, Math.min(count - 1, index))] / 1_000_000.0;
  }

  Map<String, Object> summary() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("requests", count);
    out.put("p50_ms", round(percentileMillis(50)));
    out.put("p90_ms", round(percentileMillis(90)));
    out.put("p99_ms", round(percentileMillis(99)));
    out.put("max_ms", round(percentileMillis(100)));
    return out;
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}

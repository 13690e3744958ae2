package dev.quma.xds.health;

import dev.quma.core.insight.ProbeHealth;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/** The health check streams' metrics: open streams, reports read, probe flips. */
public final class HdsMetrics {
  private final AtomicInteger streams = new AtomicInteger();
  private final Counter reports;
  private final Counter reportCpu;
  private final Counter toHealthy;
  private final Counter toUnhealthy;

  public HdsMetrics(MeterRegistry registry) {
    Gauge.builder("xds.hds.streams", streams, AtomicInteger::get)
        .description("Open health check (HDS) streams")
        .register(registry);
    reports =
        Counter.builder("xds.hds.reports")
            .description("Health reports (EndpointHealthResponse) read")
            .register(registry);
    reportCpu =
        Counter.builder("xds.hds.reports.cpu.seconds")
            .description("Time spent reading health reports")
            .register(registry);
    toHealthy = flips(registry, "healthy");
    toUnhealthy = flips(registry, "unhealthy");
  }

  private static Counter flips(MeterRegistry registry, String to) {
    return Counter.builder("xds.probe.flips")
        .description(
            "Probe results that changed: an inbound's service probe, or a proxy's readiness")
        .tag("to", to)
        .register(registry);
  }

  void streamOpened() {
    streams.incrementAndGet();
  }

  void streamClosed() {
    streams.decrementAndGet();
  }

  void reportRead(long nanos) {
    reports.increment();
    reportCpu.increment(nanos / 1e9);
  }

  /** Counts each inbound and the proxy's readiness whose result differs from before. */
  void flipped(ProbeHealth before, ProbeHealth after) {
    boolean readyBefore = before == null || before.proxyReady();
    if (readyBefore != after.proxyReady()) {
      (after.proxyReady() ? toHealthy : toUnhealthy).increment();
    }
    Map<Integer, Boolean> was = before == null ? Map.of() : before.inbounds();
    after
        .inbounds()
        .forEach(
            (port, healthy) -> {
              if (!Objects.equals(was.get(port), healthy)) {
                (healthy ? toHealthy : toUnhealthy).increment();
              }
            });
  }
}

package dev.quma.bootstrap.web;

import dev.quma.http.errors.ApiException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * {@code quma_bootstraps_total{mode, outcome}}: bootstraps served (Direct or Indirect) and refused
 * (by status), so that a deploy wave's refusals show up on a dashboard.
 */
@ApplicationScoped
public class BootstrapMetrics {
  private final MeterRegistry registry;
  private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();

  public BootstrapMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void served(boolean direct) {
    count(direct ? "direct" : "indirect", "served");
  }

  void refused(BootstrapRequest request, Throwable failure) {
    String mode =
        request.dataplaneResource() == null || request.dataplaneResource().isBlank()
            ? "indirect"
            : "direct";
    count(mode, failure instanceof ApiException api ? Integer.toString(api.status()) : "error");
  }

  private void count(String mode, String outcome) {
    counters
        .computeIfAbsent(
            mode + "/" + outcome,
            key ->
                Counter.builder("quma.bootstraps")
                    .description("Bootstrap requests by mode and outcome (served, or the status)")
                    .tag("mode", mode)
                    .tag("outcome", outcome)
                    .register(registry))
        .increment();
  }
}

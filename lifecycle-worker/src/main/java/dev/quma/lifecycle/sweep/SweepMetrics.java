package dev.quma.lifecycle.sweep;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The worker's Prometheus metrics: {@code quma_lifecycle_dataplanes_offline_total}, {@code
 * quma_lifecycle_dataplanes_deleted_total}, {@code quma_lifecycle_dataplanes_kept_total{reason}},
 * {@code quma_lifecycle_sweep_duration_seconds{outcome}} and {@code quma_lifecycle_leader} (1 on
 * the replica that holds the sweeper lease).
 */
public final class SweepMetrics implements Consumer<SweepReport> {
  private final MeterRegistry registry;
  private final Counter markedOffline;
  private final Counter deleted;
  private final Map<KeptReason, Counter> kept = new EnumMap<>(KeptReason.class);

  public SweepMetrics(MeterRegistry registry, BooleanSupplier leader) {
    this.registry = registry;
    this.markedOffline =
        Counter.builder("quma.lifecycle.dataplanes.offline")
            .description("Dataplanes marked Offline after the idle timeout")
            .register(registry);
    this.deleted =
        Counter.builder("quma.lifecycle.dataplanes.deleted")
            .description("Dataplanes deleted after the cleanup age")
            .register(registry);
    for (KeptReason reason : KeptReason.values()) {
      kept.put(
          reason,
          Counter.builder("quma.lifecycle.dataplanes.kept")
              .description("Dataplanes past the cleanup age that the cleanup kept, by reason")
              .tag("reason", reason.label())
              .register(registry));
    }
    Gauge.builder("quma.lifecycle.leader", () -> leader.getAsBoolean() ? 1 : 0)
        .description("1 while this replica holds the sweeper lease")
        .register(registry);
  }

  @Override
  public void accept(SweepReport report) {
    if (report.leaseToken() == 0) {
      return; // not a sweep: this replica was not the leader
    }
    markedOffline.increment(report.markedOffline());
    deleted.increment(report.deleted());
    report.kept().forEach((reason, count) -> kept.get(reason).increment(count));
    Timer.builder("quma.lifecycle.sweep.duration")
        .description("How long sweeps take, by how they ended")
        .tag("outcome", report.outcome().name().toLowerCase(Locale.ROOT))
        .register(registry)
        .record(report.duration());
  }
}

package dev.quma.xds;

import dev.quma.xds.snapshot.ProxySnapshots.ChangeResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/** The xDS tier's own metrics, on /q/metrics beside the JVM's and gRPC's. */
@ApplicationScoped
public class XdsMetrics {
  private final Counter snapshots;
  private final Counter nacks;
  private final Counter changes;
  private final Counter changeCpu;
  private final Timer propagation;
  private final MeterRegistry registry;

  public XdsMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.snapshots =
        Counter.builder("xds.snapshots.set")
            .description("Snapshots set for connected proxies (each one a push)")
            .register(registry);
    this.nacks =
        Counter.builder("xds.nacks")
            .description("Configs rejected by proxies (NACKs)")
            .register(registry);
    this.changes =
        Counter.builder("xds.changes.applied")
            .description("Batches of dataplane changes applied to the mesh views")
            .register(registry);
    this.changeCpu =
        Counter.builder("xds.changes.cpu.seconds")
            .description("CPU time spent recomputing snapshots for changes")
            .register(registry);
    this.propagation =
        Timer.builder("xds.change.propagation")
            .description("From a change's event in Redis to the affected snapshots being set")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
  }

  void snapshotsSet(long count) {
    snapshots.increment(count);
  }

  void nacked() {
    nacks.increment();
  }

  void changeApplied(long delayMillis, ChangeResult result) {
    changes.increment();
    changeCpu.increment(result.cpuNanos() / 1e9);
    propagation.record(Duration.ofMillis(Math.max(0, delayMillis)));
  }

  public MeterRegistry registry() {
    return registry;
  }
}

package dev.quma.xds.health;

import dev.quma.core.insight.ProbeResults;
import dev.quma.core.store.ResourceStore;
import dev.quma.xds.admission.ProxyAdmission;
import dev.quma.xds.follow.ViewSync;
import dev.quma.xds.snapshot.ProxySnapshots;
import dev.quma.xds.streams.HeldTokens;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

/** Wires the Health Discovery Service. */
@ApplicationScoped
public class HdsBeans {
  @Produces
  @Singleton
  HealthStream.HdsContext hdsContext(
      ProxyAdmission admission,
      ProbeResults results,
      ResourceStore store,
      ProxySnapshots snapshots,
      MeterRegistry registry,
      @Named("xds-timers") ScheduledExecutorService timers,
      Clock clock,
      HdsConfig config,
      HeldTokens heldTokens,
      ViewSync views) {
    return new HealthStream.HdsContext(
        admission,
        new HealthChecks(config.interval(), config.checkDefaults().probeDefaults()),
        new ProbeRecorder(results, views::probedHere),
        store,
        snapshots::viewVersion,
        new HdsMetrics(registry),
        new SpecifierRefresh(timers, config.refreshInterval()),
        clock,
        heldTokens);
  }
}

package dev.quma.api.views;

import dev.quma.api.ApiConfig;
import dev.quma.core.stats.MeshStatsStore;
import dev.quma.core.stats.ReconcileReport;
import dev.quma.core.store.ResourceQueries;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Reconciles each mesh's counters with its dataplanes every {@code
 * quma.api.insights-reconcile-interval} (a first time shortly after start, which also counts data
 * written before the counters existed). Every replica runs the timer; a claim per mesh and interval
 * in Redis makes one of them do each mesh, and a reconcile never counts anything twice (see {@link
 * MeshStatsStore#reconcile}). Runs on a thread of its own, one mesh at a time.
 */
@ApplicationScoped
public class CountersReconciler {
  private static final Logger LOG = Logger.getLogger(CountersReconciler.class);
  private static final Duration FIRST_RUN = Duration.ofSeconds(5);
  private static final Duration MESH_TIMEOUT = Duration.ofMinutes(5);

  private final ResourceQueries queries;
  private final MeshStatsStore stats;
  private final Duration interval;
  private final int batch;
  private final MeterRegistry metrics;
  private final String owner = "api-" + UUID.randomUUID();
  private ScheduledExecutorService timer;

  public CountersReconciler(
      ResourceQueries queries, MeshStatsStore stats, ApiConfig config, MeterRegistry metrics) {
    this.queries = queries;
    this.stats = stats;
    this.interval = config.insightsReconcileInterval();
    this.batch = config.insightsReconcileBatch();
    this.metrics = metrics;
  }

  void onStart(@Observes StartupEvent event) {
    if (interval.isZero() || interval.isNegative()) {
      LOG.info("mesh counters are not reconciled (quma.api.insights-reconcile-interval is 0)");
      return;
    }
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "counters-reconcile");
              thread.setDaemon(true);
              return thread;
            });
    long first = Math.min(FIRST_RUN.toMillis(), interval.toMillis());
    timer.scheduleWithFixedDelay(
        this::reconcileAll, first, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  void onStop(@Observes ShutdownEvent event) {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  /** One round: every mesh this replica claims for this interval. */
  void reconcileAll() {
    List<String> meshes;
    try {
      meshes = queries.meshNames().await().atMost(MESH_TIMEOUT);
    } catch (RuntimeException e) {
      if (!timer.isShutdown()) {
        LOG.warnf("could not list the meshes to reconcile their counters: %s", e.getMessage());
      }
      return;
    }
    for (String mesh : meshes) {
      try {
        if (!stats.claimReconcile(mesh, owner, interval).await().atMost(MESH_TIMEOUT)) {
          continue;
        }
        ReconcileReport report = stats.reconcile(mesh, batch).await().atMost(MESH_TIMEOUT);
        metrics
            .counter("quma.insights.reconcile", "outcome", report.outcome().name().toLowerCase())
            .increment();
        if (report.outcome() == ReconcileReport.Outcome.SAME && report.corrected() == 0) {
          LOG.debugf("counters of mesh %s: right (%d dataplanes)", mesh, report.walked());
        } else {
          LOG.infof(
              "counters of mesh %s: %s, %d dataplanes walked, %d corrected, %d counters replaced,"
                  + " %d ms",
              mesh,
              report.outcome().name().toLowerCase(),
              report.walked(),
              report.corrected(),
              report.drift(),
              report.took().toMillis());
        }
      } catch (RuntimeException e) {
        if (timer.isShutdown()) {
          return; // stopping
        }
        LOG.warnf("could not reconcile the counters of mesh %s: %s", mesh, e.getMessage());
      }
    }
  }
}

package dev.quma.xds.health;

import dev.quma.core.insight.ProbeHealth;
import dev.quma.core.insight.ProbeResults;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Records the probe results of the proxies whose health check streams this replica holds. Each
 * stream gets a {@link Writer}, offered every report: it writes what differs from the last result
 * it stored, one write in flight at a time and always the latest, so that a quick flip and flop
 * cannot land in the wrong order. A write that failed, or found no dataplane yet (a Direct proxy's
 * health stream may come before its registration), is tried again with the next report. What is
 * stored is applied to this replica's view at once ({@link Stored}); other replicas follow the
 * change stream.
 */
public final class ProbeRecorder {
  private static final Logger LOG = Logger.getLogger(ProbeRecorder.class);

  private final ProbeResults results;
  private final Stored onStored;

  /** Told each result once the store holds it. */
  @FunctionalInterface
  interface Stored {
    void stored(String mesh, String name, ProbeHealth health);
  }

  /** Set while writes fail: one line when they start failing, one when they work again. */
  private final AtomicBoolean failing = new AtomicBoolean();

  public ProbeRecorder(ProbeResults results, Stored stored) {
    this.results = results;
    this.onStored = stored;
  }

  Writer writer(String mesh, String name) {
    return new Writer(mesh, name);
  }

  /** The writes of one stream. */
  final class Writer {
    private final String mesh;
    private final String name;
    private ProbeHealth wanted;
    private ProbeHealth stored;
    private boolean writing;

    private Writer(String mesh, String name) {
      this.mesh = mesh;
      this.name = name;
    }

    synchronized void offer(ProbeHealth health) {
      wanted = health;
      if (!writing && !health.sameHealth(stored)) {
        next();
      }
    }

    private void next() {
      ProbeHealth health = wanted;
      writing = true;
      results
          .record(mesh, name, health)
          .subscribe()
          .with(
              outcome -> {
                if (failing.compareAndSet(true, false)) {
                  LOG.info("probe results are written again");
                }
                boolean inStore = outcome != ProbeResults.Outcome.NO_DATAPLANE;
                if (inStore) {
                  onStored.stored(mesh, name, health);
                }
                done(health, inStore);
              },
              failure -> {
                if (failing.compareAndSet(false, true)) {
                  LOG.warnf(
                      "probe results cannot be written (%s); each stream tries again with its next"
                          + " report",
                      failure.getMessage());
                }
                done(health, false);
              });
    }

    /** {@code stored} false: the result is not in the store (a failure, no dataplane yet). */
    private synchronized void done(ProbeHealth attempted, boolean stored) {
      writing = false;
      if (stored) {
        this.stored = attempted;
      }
      if (wanted != attempted && !wanted.sameHealth(this.stored)) {
        next();
      }
    }
  }
}

package dev.quma.xds.health;

import dev.quma.core.insight.ProbeHealth;
import dev.quma.core.insight.ProbeResults;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Records the probe results of the proxies whose health check streams this replica holds. Each
 * stream gets a {@link Writer}: one write in flight at a time, always of the latest result, so that
 * a quick flip and flop cannot land in the wrong order; a failed write is tried again with the next
 * result that comes.
 */
public final class ProbeRecorder {
  private static final Logger LOG = Logger.getLogger(ProbeRecorder.class);

  private final ProbeResults results;

  /** Set while writes fail: one line when they start failing, one when they work again. */
  private final AtomicBoolean failing = new AtomicBoolean();

  public ProbeRecorder(ProbeResults results) {
    this.results = results;
  }

  Writer writer(String mesh, String name) {
    return new Writer(mesh, name);
  }

  /** The writes of one stream. */
  final class Writer {
    private final String mesh;
    private final String name;
    private ProbeHealth wanted;
    private boolean writing;

    private Writer(String mesh, String name) {
      this.mesh = mesh;
      this.name = name;
    }

    synchronized void write(ProbeHealth health) {
      wanted = health;
      if (!writing) {
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
              written -> {
                if (failing.compareAndSet(true, false)) {
                  LOG.info("probe results are written again");
                }
                done(health);
              },
              failure -> {
                if (failing.compareAndSet(false, true)) {
                  LOG.warnf(
                      "probe results cannot be written (%s); each stream tries again with its next"
                          + " report",
                      failure.getMessage());
                }
                done(health);
              });
    }

    private synchronized void done(ProbeHealth written) {
      writing = false;
      if (wanted != written) {
        next();
      }
    }
  }
}

package dev.quma.lifecycle.sweep;

import java.util.StringJoiner;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * One log line per sweep with its counts: WARN when it failed, INFO when it changed or kept
 * something, DEBUG when there was nothing to do (an idle fleet would otherwise print a line every
 * sweep interval, forever).
 */
public final class SweepLog implements Consumer<SweepReport> {
  private static final Logger LOG = Logger.getLogger(SweepLog.class);

  @Override
  public void accept(SweepReport report) {
    String line = line(report);
    if (report.outcome() == SweepReport.Outcome.FAILED) {
      LOG.warn(line);
    } else if (idle(report)) {
      LOG.debug(line);
    } else {
      LOG.info(line);
    }
  }

  static boolean idle(SweepReport report) {
    return report.outcome() == SweepReport.Outcome.COMPLETED
        && report.markedOffline() == 0
        && report.deleted() == 0
        && report.keptTotal() == 0;
  }

  /** e.g. "sweep 12 (lease token 3): 2 meshes, 5 marked Offline, 3 deleted, 1 kept (...) ..." */
  static String line(SweepReport report) {
    StringBuilder out =
        new StringBuilder("sweep ")
            .append(report.number())
            .append(" (lease token ")
            .append(report.leaseToken())
            .append(")");
    switch (report.outcome()) {
      case COMPLETED -> out.append(": ");
      case INTERRUPTED -> out.append(" interrupted (").append(report.detail()).append("): ");
      case FAILED -> out.append(" failed (").append(report.detail()).append("): ");
    }
    out.append(report.meshes())
        .append(report.meshes() == 1 ? " mesh, " : " meshes, ")
        .append(report.markedOffline())
        .append(" marked Offline, ")
        .append(report.deleted())
        .append(" deleted, ")
        .append(report.keptTotal())
        .append(" kept");
    if (report.keptTotal() > 0) {
      StringJoiner reasons = new StringJoiner(", ", " (", ")");
      report.kept().entrySet().stream()
          .sorted(java.util.Map.Entry.comparingByKey())
          .forEach(e -> reasons.add(e.getKey().label() + " " + e.getValue()));
      out.append(reasons);
    }
    return out.append(", ")
        .append(report.batches())
        .append(report.batches() == 1 ? " batch, " : " batches, ")
        .append(report.duration().toMillis())
        .append(" ms")
        .toString();
  }
}

package dev.quma.xds.mads;

import com.google.protobuf.Any;
import dev.quma.xds.snapshot.ProxySnapshots;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The current monitoring assignments, recomputed from the mesh views only when they changed (their
 * generation moved). The version is a digest of the assignments themselves, so every xDS replica
 * names the same assignments with the same version: a Prometheus sent to another replica does not
 * see a change that is none.
 */
public final class AssignmentCache {
  private final ProxySnapshots snapshots;
  private long generation = Long.MIN_VALUE;
  private Current current;

  /** The assignments of one moment, packed once for every client. */
  public record Current(
      String version, List<MonitoringAssignment> assignments, List<Any> resources) {}

  public AssignmentCache(ProxySnapshots snapshots) {
    this.snapshots = snapshots;
  }

  public synchronized Current current() {
    long now = snapshots.generation();
    if (current == null || now != generation) {
      List<MonitoringAssignment> fresh = AssignmentsOfViews.of(snapshots.dataplanes());
      if (current == null || !fresh.equals(current.assignments())) {
        current =
            new Current(
                version(fresh), fresh, fresh.stream().map(AssignmentMessages::pack).toList());
      }
      generation = now;
    }
    return current;
  }

  static String version(List<MonitoringAssignment> assignments) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] hash = digest.digest(assignments.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}

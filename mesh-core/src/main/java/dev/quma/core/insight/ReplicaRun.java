package dev.quma.core.insight;

import java.time.Duration;
import java.time.Instant;

/**
 * One run of an xDS replica, as the mesh's replicas hash records it beside its subscriptions: its
 * id, when it started, and how long each of its heartbeats vouches for it. A subscription counts as
 * open only while its replica's last heartbeat vouches for it and it was opened by the replica's
 * current run ({@link ReplicaLiveness}); so a replica that crashed, or was restarted under the same
 * id, leaves no subscription that looks open.
 */
public record ReplicaRun(String instanceId, long startedMillis, Duration aliveFor) {

  /** What the replicas hash holds for this run after a heartbeat at {@code now}. */
  public String stored(Instant now) {
    return startedMillis + ":" + (now.toEpochMilli() + aliveFor.toMillis());
  }
}

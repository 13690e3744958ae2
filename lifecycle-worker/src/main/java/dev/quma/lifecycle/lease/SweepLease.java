package dev.quma.lifecycle.lease;

import dev.quma.core.lease.Fence;
import io.smallrye.mutiny.Uni;
import java.util.Optional;

/** What a sweep asks of the lease it runs under. */
public interface SweepLease {
  /**
   * Asked before every batch: the fence to write with while the lease is safely held, empty once it
   * is lost or about to expire (the sweep then stops).
   */
  Optional<Fence> fenceWhileHeld();

  /**
   * A write in {@code mesh} was refused because a newer token already wrote there: stop using this
   * lease, and make sure the next acquisition gets a token past that one.
   */
  Uni<Void> fencedOut(String mesh);
}

package dev.quma.core.store;

import io.smallrye.mutiny.Uni;

/**
 * What one part of a service does when the store lost its data ({@link StoreWatch}): forget what it
 * derived from the old store, then put back what it keeps there.
 */
public interface StoreRecovery {
  /** What it recovers, for the log ("the default mesh and admin token", "token key caches"). */
  String name();

  /** Drops every cache derived from the old store. Runs first, at once, and must not fail. */
  default void forget() {}

  /**
   * Puts back what this part keeps in the store (defaults, the CA, registrations); create-if-absent
   * and safe to run again: a failure is retried at the next check until it succeeds.
   */
  default Uni<Void> recreate() {
    return Uni.createFrom().voidItem();
  }
}

package dev.quma.core.store;

import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Watches the store on behalf of one service: whether Redis answers, and whether it is still the
 * store the service started with (its {@link StoreIdentity}). Checks every {@code interval}; the
 * edges report failures they saw ({@link #unavailable}) so that an outage is noticed at once.
 *
 * <ul>
 *   <li>An outage is logged once when it begins and once when it ends, whoever noticed it.
 *   <li>A wiped store (the id is gone or another one) makes every registered {@link StoreRecovery}
 *       forget its caches and then recreate what it keeps in the store; until all succeeded, the
 *       service is not ready.
 * </ul>
 */
public final class StoreWatch {
  private static final Logger LOG = Logger.getLogger(StoreWatch.class);

  private final StoreIdentity identity;
  private final Duration interval;
  private final Clock clock;
  private final List<StoreRecovery> recoveries = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "store-watch");
            thread.setDaemon(true);
            return thread;
          });
  private volatile String knownId; // null until the first check succeeded
  private volatile boolean reachable;
  private volatile boolean recovering;
  private volatile long outageSinceMillis = -1; // guarded by this for the transitions
  private volatile long wipes;
  private volatile boolean stopped;

  public StoreWatch(StoreIdentity identity, Duration interval, Clock clock) {
    this.identity = identity;
    this.interval = interval;
    this.clock = clock;
  }

  /** Adds a part to recover after a wipe (in the order added: forget all, then recreate each). */
  public void register(StoreRecovery recovery) {
    recoveries.add(recovery);
  }

  public void start() {
    timer.execute(this::checkAndReschedule);
  }

  public void stop() {
    stopped = true;
    timer.shutdownNow();
  }

  /** Reachable, the same store as before (or the first one seen), and nothing left to recover. */
  public boolean ready() {
    return knownId != null && reachable && !recovering;
  }

  public boolean reachable() {
    return reachable;
  }

  public boolean recovering() {
    return recovering;
  }

  /** How many wipes this service noticed since it started. */
  public long wipes() {
    return wipes;
  }

  /** The id of the store this service works with (null before the first check succeeded). */
  public String storeId() {
    return knownId;
  }

  /**
   * Whether the store is, right now, the one this service knows (read afresh, not the last check's
   * answer): false after a wipe not handled yet. For a decision that the lost store's data would
   * make wrongly (ending streams whose keys were lost with it).
   */
  public Uni<Boolean> sameStore() {
    String known = knownId;
    return identity.read().map(id -> known != null && known.equals(id) && !recovering);
  }

  /**
   * An edge saw the store fail ({@link StoreUnavailable}): the outage begins now if it had not yet
   * (one log line), and ends when a check succeeds.
   */
  public void unavailable(Throwable cause) {
    beginOutage(cause);
  }

  private void checkAndReschedule() {
    if (stopped) {
      return;
    }
    check()
        .onFailure()
        .recoverWithNull()
        .subscribe()
        .with(
            x -> {
              if (!stopped) {
                timer.schedule(
                    this::checkAndReschedule, interval.toMillis(), TimeUnit.MILLISECONDS);
              }
            });
  }

  /** One check; runs on the watch's own schedule, one at a time. */
  private Uni<Void> check() {
    String known = knownId;
    Uni<Void> round =
        known == null
            ? identity.claim().invoke(this::firstSeen).replaceWithVoid()
            : identity.read().flatMap(id -> compare(known, id));
    return round
        .flatMap(x -> recovering ? recover() : Uni.createFrom().voidItem())
        .onFailure()
        .invoke(this::beginOutage);
  }

  private void firstSeen(String id) {
    knownId = id;
    endOutage();
  }

  private Uni<Void> compare(String known, String id) {
    if (known.equals(id)) {
      endOutage();
      return Uni.createFrom().voidItem();
    }
    // Not ready before it says reachable: readiness must never be UP on the wiped store.
    recovering = true;
    wipes++;
    endOutage();
    LOG.warnf(
        "the store lost its data (its id was %s, now %s): forgetting what this service derived"
            + " from it and recreating what it keeps there; not ready until done",
        known, id == null ? "none" : id);
    for (StoreRecovery recovery : recoveries) {
      try {
        recovery.forget();
      } catch (RuntimeException e) {
        LOG.warnf("could not drop the caches of %s: %s", recovery.name(), e.getMessage());
      }
    }
    return identity.claim().invoke(claimed -> knownId = claimed).replaceWithVoid();
  }

  /** Recreates each part in turn; a failure leaves {@code recovering} set for the next check. */
  private Uni<Void> recover() {
    long started = clock.millis();
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (StoreRecovery recovery : recoveries) {
      chain = chain.flatMap(x -> recovery.recreate());
    }
    return chain.invoke(
        () -> {
          recovering = false;
          LOG.infof(
              "recovered from the wiped store in %d ms (%s); ready again",
              clock.millis() - started,
              String.join(", ", recoveries.stream().map(StoreRecovery::name).toList()));
        });
  }

  private synchronized void beginOutage(Throwable cause) {
    if (outageSinceMillis >= 0 || stopped) {
      return;
    }
    outageSinceMillis = clock.millis();
    reachable = false;
    LOG.warnf("the store is unavailable (%s); requests get 503 until it is back", describe(cause));
  }

  private synchronized void endOutage() {
    if (outageSinceMillis >= 0) {
      LOG.infof("the store is back after %d ms", clock.millis() - outageSinceMillis);
      outageSinceMillis = -1;
    }
    reachable = true;
  }

  private static String describe(Throwable cause) {
    Throwable root = cause;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
  }
}

package dev.quma.xds.streams;

import dev.quma.core.insight.Departure;
import dev.quma.core.insight.InsightReader;
import dev.quma.core.insight.InsightWriter;
import dev.quma.core.insight.ReplicaRun;
import dev.quma.core.model.Labels;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.ResourceConflictException;
import dev.quma.core.store.ResourceNotFoundException;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.StoreUnavailable;
import dev.quma.xds.admission.AdmissionException;
import dev.quma.xds.admission.AdmissionGate;
import dev.quma.xds.admission.AdmittedProxy;
import dev.quma.xds.follow.ViewSync;
import dev.quma.xds.snapshot.ProxyKey;
import dev.quma.xds.snapshot.ProxySnapshots;
import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The streams this replica serves, and what their lifecycle does (seeds: "Lifecycle"): an admitted
 * stream opens a subscription and gets a snapshot; a closed one closes its subscription and, once
 * the proxy has not come back to any replica within the deregistration delay, a Direct dataplane is
 * deleted (an Indirect one stays, offline). A replica that is shutting down deletes nothing: its
 * proxies reconnect elsewhere.
 */
public final class ProxyStreams {
  private static final Logger LOG = Logger.getLogger(ProxyStreams.class);
  private static final Duration CLOSE_RETRY_FIRST = Duration.ofMillis(50);
  private static final Duration CLOSE_RETRY_MAX = Duration.ofSeconds(2);
  private static final int CLOSE_ATTEMPTS = 10;

  private final ProxySnapshots snapshots;
  private final ViewSync views;
  private final InsightWriter insights;
  private final InsightReader insightReader;
  private final ResourceStore store;
  private final ScheduledExecutorService timers;
  private final Clock clock;
  private final Duration deregistrationDelay;
  private final Duration connectionGrace;
  private final ReplicaRun run;
  private final AdmissionGate gate;
  private final Map<ProxyKey, Set<StreamSession>> sessions = new HashMap<>();
  private volatile boolean shuttingDown;
  private volatile java.util.function.Consumer<Throwable> storeUnavailable = e -> {};

  public ProxyStreams(
      ProxySnapshots snapshots,
      ViewSync views,
      InsightWriter insights,
      InsightReader insightReader,
      ResourceStore store,
      ScheduledExecutorService timers,
      Clock clock,
      Duration deregistrationDelay,
      Duration connectionGrace,
      ReplicaRun run,
      AdmissionGate gate) {
    this.snapshots = snapshots;
    this.views = views;
    this.insights = insights;
    this.insightReader = insightReader;
    this.store = store;
    this.timers = timers;
    this.clock = clock;
    this.deregistrationDelay = deregistrationDelay;
    this.connectionGrace = connectionGrace;
    this.run = run;
    this.gate = gate;
  }

  /** Starts serving an admitted proxy: its snapshot, then its subscription. */
  public Uni<Void> opened(StreamSession session, AdmittedProxy proxy) {
    return views
        .ensureLoaded(proxy.key().mesh())
        .flatMap(
            exists -> {
              if (!exists || !snapshots.connect(proxy.key(), proxy.spec())) {
                return Uni.createFrom()
                    .failure(
                        new AdmissionException(
                            io.grpc.Status.Code.NOT_FOUND,
                            "mesh \"" + proxy.key().mesh() + "\" does not exist"));
              }
              session.admittedAs(proxy);
              synchronized (this) {
                sessions.computeIfAbsent(proxy.key(), k -> new HashSet<>()).add(session);
              }
              return openSubscription(session)
                  .onFailure()
                  .invoke(e -> remove(session))
                  .flatMap(
                      opening -> {
                        if (opening.outcome() == InsightWriter.Opening.Outcome.HELD) {
                          remove(session);
                          return Uni.createFrom()
                              .failure(
                                  new AdmissionException(
                                      io.grpc.Status.Code.ALREADY_EXISTS,
                                      heldMessage(session.key(), opening.holder())));
                        }
                        supersede(session);
                        return Uni.createFrom().voidItem();
                      });
            });
  }

  /**
   * Ends a session and forgets it (a closed one, or one never served: refused, or its subscription
   * not written): null when it was not here; else whether it was its proxy's last here (whose
   * snapshot goes then).
   */
  private Boolean remove(StreamSession session) {
    session.end();
    boolean last;
    synchronized (this) {
      Set<StreamSession> ofProxy = sessions.get(session.key());
      if (ofProxy == null || !ofProxy.remove(session)) {
        return null;
      }
      last = ofProxy.isEmpty();
      if (last) {
        sessions.remove(session.key());
      }
    }
    if (last) {
      snapshots.disconnect(session.key());
    }
    return last;
  }

  /**
   * The same proxy instance opened a new stream here: it gave up its older ones (their connection
   * broke without this replica noticing yet), so they end now rather than at their keepalive.
   */
  private void supersede(StreamSession newer) {
    if (newer.proxyInstance() == null) {
      return;
    }
    for (StreamSession older : sessionsOf(newer.key())) {
      if (older != newer && newer.proxyInstance().equals(older.proxyInstance())) {
        LOG.infof("ending an older stream of %s: the same proxy opened a new one", newer.key());
        older.terminate(
            io.grpc.Status.ABORTED.withDescription(
                "superseded by a newer stream of the same proxy"));
      }
    }
  }

  /** Why a second proxy under a held name is refused, in the words of the bootstrap's 409. */
  private static String heldMessage(ProxyKey key, InsightWriter.Holder holder) {
    return "another proxy named \""
        + key.name()
        + "\" of mesh \""
        + key.mesh()
        + "\" is connected to the control plane right now (xDS replica "
        + (holder.replica().isEmpty() ? "unknown" : holder.replica())
        + (holder.since().isEmpty() ? "" : ", since " + holder.since())
        + "); two proxies cannot share a name: give this one its own (--dataplane-var name=...)"
        + " or stop the other first. A restarted proxy is let in once the old one's stream has"
        + " ended";
  }

  /**
   * A stream ended: the proxy left or the stream broke ({@code how}), or this replica is stopping
   * (a break: the proxy will connect to another replica).
   */
  public void closed(StreamSession session, Departure.Kind how) {
    Boolean removed = remove(session);
    if (removed == null) {
      return;
    }
    boolean last = removed;
    boolean deregister = last && !shuttingDown && session.direct();
    // A proxy whose stream broke may be reconnecting: it keeps its dataplane for its grace period.
    Duration delay =
        how == Departure.Kind.LOST && connectionGrace.compareTo(deregistrationDelay) > 0
            ? connectionGrace
            : deregistrationDelay;
    // The delay starts once the subscription is closed in the insight: the check reads "online"
    // from there, and a close still in flight would look like a proxy that came back.
    // A close that failed (Redis busy: "waiting queue is full" under a fleet's insight writes) is
    // tried again: until it lands, the proxy is no departure anywhere and stays an endpoint. The
    // script is idempotent (it closes its own subscription once; a second run writes nothing).
    closeSubscription(session, shuttingDown ? Departure.Kind.LOST : how)
        .onFailure(e -> !shuttingDown)
        .retry()
        .withBackOff(CLOSE_RETRY_FIRST, CLOSE_RETRY_MAX)
        .atMost(CLOSE_ATTEMPTS)
        .subscribe()
        .with(
            x -> scheduleDeregistration(deregister, session.key(), delay),
            e -> {
              if (StoreUnavailable.is(e)) {
                storeUnavailable(e); // one line per outage, not one per proxy
              } else {
                LOG.warnf(
                    "could not close the subscription of %s: %s", session.key(), e.getMessage());
              }
              scheduleDeregistration(deregister, session.key(), delay);
            });
  }

  private void scheduleDeregistration(boolean deregister, ProxyKey key, Duration delay) {
    if (deregister) {
      // Another replica's subscription may look open only until that replica's heartbeat runs
      // out (it crashed): until then, an open one is asked about again.
      long settledBy = clock.millis() + delay.toMillis() + run.aliveFor().toMillis();
      retryDeregistration(key, delay, settledBy);
    }
  }

  private void retryDeregistration(ProxyKey key, Duration delay, long settledBy) {
    timers.schedule(
        () -> deregisterIfGone(key, delay, settledBy), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Deletes a Direct dataplane whose proxy has not reconnected to any replica. */
  private void deregisterIfGone(ProxyKey key, Duration delay, long settledBy) {
    if (shuttingDown || connectedHere(key)) {
      return;
    }
    insightReader
        .get(key.mesh(), key.name())
        .flatMap(
            insight -> {
              if (insight.online()) {
                // It came back to another replica, or that replica died and its heartbeat has not
                // run out yet: ask again until an open subscription can only be a live one.
                if (clock.millis() < settledBy) {
                  retryDeregistration(key, delay, settledBy);
                }
                return Uni.createFrom().item(false);
              }
              return store
                  .find(ResourceType.DATAPLANE, key.mesh(), key.name())
                  .flatMap(
                      found -> {
                        if (found.isEmpty()
                            || !Labels.isDirect(found.get())
                            || connectedHere(key)) {
                          return Uni.createFrom().item(false);
                        }
                        return store
                            .delete(
                                ResourceType.DATAPLANE,
                                key.mesh(),
                                key.name(),
                                OptionalLong.of(found.get().version()))
                            .replaceWith(true);
                      });
            })
        .onFailure(
            e -> e instanceof ResourceConflictException || e instanceof ResourceNotFoundException)
        .recoverWithItem(false)
        .subscribe()
        .with(
            deleted -> {
              if (deleted) {
                LOG.infof("deregistered %s: it left and did not come back within %s", key, delay);
              }
            },
            e -> {
              if (StoreUnavailable.is(e)) {
                storeUnavailable(e);
              } else {
                LOG.warnf("could not deregister %s (trying again): %s", key, e.getMessage());
              }
              retryDeregistration(key, delay, settledBy);
            });
  }

  /** Who is told of a store outage a stream ran into (it logs one line per outage). */
  public void onStoreUnavailable(java.util.function.Consumer<Throwable> listener) {
    storeUnavailable = listener;
  }

  /** A stream could not be served because the store is unavailable. */
  public void storeUnavailable(Throwable error) {
    storeUnavailable.accept(error);
  }

  /** Where admissions wait their turn to talk to Redis. */
  public AdmissionGate gate() {
    return gate;
  }

  public synchronized boolean connectedHere(ProxyKey key) {
    return sessions.containsKey(key);
  }

  /**
   * Ends the streams of a dataplane that was deleted (forced through the API while its proxy was
   * connected): a proxy must not go on being served as a dataplane that no longer exists.
   */
  public void dataplaneDeleted(String mesh, String name) {
    ProxyKey key = new ProxyKey(mesh, name);
    for (StreamSession session : sessionsOf(key)) {
      LOG.infof("ending the stream of %s: its dataplane was deleted", key);
      session.terminate(
          io.grpc.Status.NOT_FOUND.withDescription(
              "dataplane \"" + name + "\" of mesh \"" + mesh + "\" was deleted"));
    }
  }

  /** The streams of one proxy on this replica (usually one; two while it reconnects). */
  public synchronized List<StreamSession> sessionsOf(ProxyKey key) {
    Set<StreamSession> ofProxy = sessions.get(key);
    return ofProxy == null ? List.of() : List.copyOf(ofProxy);
  }

  public synchronized List<StreamSession> sessions() {
    List<StreamSession> all = new ArrayList<>();
    sessions.values().forEach(all::addAll);
    return all;
  }

  /** From now on, closing streams deletes nothing; the open subscriptions are closed now. */
  public Uni<Void> shutdown() {
    shuttingDown = true;
    List<Uni<Void>> closes = new ArrayList<>();
    for (StreamSession session : sessions()) {
      closes.add(closeSubscription(session, Departure.Kind.LOST));
    }
    if (closes.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return Uni.join().all(closes).andCollectFailures().replaceWithVoid();
  }

  public boolean shuttingDown() {
    return shuttingDown;
  }

  /**
   * Writes counters and heartbeats; re-opens subscriptions that the lifecycle sweep closed
   * meanwhile.
   */
  public Uni<Void> flushInsights(boolean heartbeat) {
    List<StreamSession> all = sessions();
    Uni<List<StreamSession>> lost = heartbeat ? heartbeat(all) : Uni.createFrom().item(List.of());
    return lost.flatMap(this::reopen).flatMap(x -> writeCounters(all)).flatMap(this::reopen);
  }

  /**
   * Opens the session's subscription, unless another instance of the proxy holds the name: a live
   * subscription whose name's heartbeat is at most as old as this replica's heartbeats vouch for.
   */
  private Uni<InsightWriter.Opening> openSubscription(StreamSession session) {
    ProxyKey key = session.key();
    return insights.openAs(
        key.mesh(),
        key.name(),
        session.subscription(null),
        new InsightWriter.Claim(session.proxyInstance(), run.aliveFor()),
        clock.instant(),
        run);
  }

  /**
   * Closes the subscription in the insight; a departure it wrote is applied to this replica's view
   * at once, rather than after the change stream's round trip (other replicas follow the stream).
   */
  private Uni<Void> closeSubscription(StreamSession session, Departure.Kind how) {
    ProxyKey key = session.key();
    return insights
        .close(key.mesh(), key.name(), session.subscription(clock.instant()), how)
        .invoke(
            departed ->
                departed.ifPresent(
                    departure -> views.departedHere(key.mesh(), key.name(), departure)))
        .replaceWithVoid();
  }

  /** Refreshes the heartbeats; answers the sessions that fell out of the online set. */
  private Uni<List<StreamSession>> heartbeat(List<StreamSession> all) {
    Map<String, Map<String, StreamSession>> byMesh = new HashMap<>();
    for (StreamSession session : all) {
      byMesh
          .computeIfAbsent(session.key().mesh(), m -> new HashMap<>())
          .put(session.key().name(), session);
    }
    Map<String, Set<String>> names = new HashMap<>();
    byMesh.forEach((mesh, named) -> names.put(mesh, named.keySet()));
    return insights
        .heartbeat(names, clock.instant(), run)
        .map(
            lost -> {
              List<StreamSession> out = new ArrayList<>();
              lost.forEach(
                  (mesh, gone) -> {
                    Map<String, StreamSession> named = byMesh.getOrDefault(mesh, Map.of());
                    gone.stream().map(named::get).filter(Objects::nonNull).forEach(out::add);
                  });
              return out;
            });
  }

  /**
   * Writes the counters of the sessions that changed since the last flush, in one round trip;
   * answers those whose subscription was closed by someone else.
   */
  private Uni<List<StreamSession>> writeCounters(List<StreamSession> all) {
    List<StreamSession> dirty = new ArrayList<>();
    List<InsightWriter.StatusUpdate> updates = new ArrayList<>();
    for (StreamSession session : all) {
      if (session.takeDirty()) {
        dirty.add(session);
        updates.add(
            new InsightWriter.StatusUpdate(
                session.key().mesh(),
                session.key().name(),
                session.subscriptionId(),
                session.subscription(null).status()));
      }
    }
    return insights
        .update(updates)
        .map(
            outcomes -> {
              List<StreamSession> closed = new ArrayList<>();
              for (int i = 0; i < outcomes.size(); i++) {
                if (outcomes.get(i) == InsightWriter.Updated.CLOSED) {
                  closed.add(dirty.get(i));
                }
              }
              return closed;
            });
  }

  /**
   * Gives streams whose subscription was closed under them (by the lifecycle sweep, while this
   * replica could not reach Redis) a new one. A stream that ends meanwhile closes it again.
   */
  public Uni<Void> reopen(List<StreamSession> sessions) {
    List<Uni<Void>> reopened = new ArrayList<>();
    for (StreamSession session : sessions) {
      if (session.ended()) {
        continue;
      }
      session.renewSubscription();
      reopened.add(
          openSubscription(session)
              .flatMap(
                  opening -> {
                    if (opening.outcome() == InsightWriter.Opening.Outcome.HELD) {
                      // Another proxy took the name while this one's subscription was closed.
                      LOG.infof(
                          "ending the stream of %s: another proxy holds the name", session.key());
                      session.terminate(
                          io.grpc.Status.ALREADY_EXISTS.withDescription(
                              heldMessage(session.key(), opening.holder())));
                      return Uni.createFrom().voidItem();
                    }
                    return session.ended()
                        ? closeSubscription(session, Departure.Kind.LOST)
                        : Uni.createFrom().voidItem();
                  }));
    }
    return reopened.isEmpty()
        ? Uni.createFrom().voidItem()
        : Uni.join().all(reopened).andCollectFailures().replaceWithVoid();
  }
}

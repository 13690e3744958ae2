package dev.quma.core.events;

import dev.quma.core.store.SlotBatches;
import dev.quma.core.store.StoreUnavailable;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Keeps subscribers in step with change streams. Each followed stream (by tag: a mesh, or {@link
 * dev.quma.core.store.Keys#GLOBAL_TAG}) has one {@link Subscriber}, which can load whole what the
 * stream describes and apply the stream's events. The follower:
 *
 * <ul>
 *   <li>starts a stream with a load, and reads it from the head it had before the load began, so
 *       that no change falls between (events just before the load are applied again: subscribers
 *       apply by version);
 *   <li>reads every followed stream with one blocking XREAD on a connection of its own, and hands
 *       each subscriber its events in stream order, one stream after the other; on a Redis Cluster,
 *       where one XREAD cannot span hash slots, one blocking XREAD per slot (a "lane", each on a
 *       connection of its own), and a round applies what the lanes that answered first read while
 *       the others go on waiting;
 *   <li>loads a stream anew when its position is lost (trimmed past it, or reset), which it checks
 *       after every read that returned events and after every reconnect;
 *   <li>loads every stream anew each {@code resyncInterval}, as a safety net;
 *   <li>after losing Redis, reconnects and resumes from the positions it had: one log line per
 *       outage and one when it follows again, or none of its own when the outage is the store's and
 *       goes to {@link #reportOutagesTo} (the service's store watch logs it once).
 * </ul>
 */
public final class ChangeFollower {
  private static final Logger LOG = Logger.getLogger(ChangeFollower.class);
  private static final int BLOCK_MILLIS = 1000;

  /** What keeps itself in step with one stream. */
  public interface Subscriber {
    /** Loads whole what the stream describes. */
    Uni<Void> resync();

    /** Applies events that came after the last load or the last events, in stream order. */
    Uni<Void> apply(List<ChangeEvent> events);
  }

  /**
   * @param batch events read per stream and round
   * @param resyncInterval how often every followed stream is loaded anew
   * @param coalescing when changes keep coming (a round read more than one event), the wait before
   *     the next read, so that its events are applied together; an isolated event is read at once
   * @param retryDelay after a failure, the wait before trying again
   */
  public record Settings(
      int batch, Duration resyncInterval, Duration coalescing, Duration retryDelay) {}

  private final Redis redis;
  private final ChangeStream changes;
  private final Clock clock;
  private final Settings settings;
  // Insertion order is resync order: a stream that decides what else is followed comes first.
  private final Map<String, Followed> followed = new LinkedHashMap<>(); // guarded by itself
  private volatile boolean stopped;
  // By lane: 0 on a single Redis, the streams' hash slot on a cluster. Touched by one round at a
  // time.
  private final Map<Integer, Lane> lanes = new ConcurrentHashMap<>();
  private volatile boolean connected; // the lanes' positions were checked since the last failure
  private volatile boolean perSlot; // the store is a Redis Cluster: one XREAD per slot
  private volatile long lastFullResync;
  private volatile boolean failing;
  private volatile boolean failingWithTheStore;
  private volatile Consumer<Throwable> storeOutages;

  public ChangeFollower(Redis redis, ChangeStream changes, Clock clock, Settings settings) {
    this.redis = redis;
    this.changes = changes;
    this.clock = clock;
    this.settings = settings;
  }

  /** One blocking read at a time over the streams of one hash slot (or all, on a single Redis). */
  private static final class Lane {
    RedisConnection connection;
    CompletableFuture<Response> reading; // the XREAD in flight, if any
    Map<String, Followed> byKey = Map.of(); // what it reads, by stream key
    Map<String, String> readFrom = Map.of(); // the positions it reads from, by tag

    void close() {
      RedisConnection old = connection;
      connection = null;
      reading = null;
      if (old != null) {
        old.close().subscribe().with(x -> {}, e -> {});
      }
    }
  }

  /** One followed stream. */
  private static final class Followed {
    final String tag;
    final Subscriber subscriber;
    volatile String position; // null until the first load is done
    volatile boolean stale; // to be loaded anew by the next round
    private CompletableFuture<Void> loading; // guarded by this

    Followed(String tag, Subscriber subscriber) {
      this.tag = tag;
      this.subscriber = subscriber;
    }
  }

  /**
   * Follows the stream {@code tag}: loads it through {@code subscriber} now and follows it from
   * then on. Completes when the first load is done (at once when the stream is followed already,
   * whatever its subscriber). A failed first load is retried by the following rounds.
   */
  public Uni<Void> follow(String tag, Subscriber subscriber) {
    Followed entry;
    synchronized (followed) {
      entry = followed.computeIfAbsent(tag, t -> new Followed(t, subscriber));
    }
    return entry.position != null ? Uni.createFrom().voidItem() : load(entry);
  }

  /** Stops following {@code tag}; events already read for it are dropped. */
  public void unfollow(String tag) {
    synchronized (followed) {
      followed.remove(tag);
    }
  }

  /**
   * Loads every followed stream anew in the next round, in the order they were followed (the store
   * lost its data: positions and versions mean nothing any more).
   */
  public void resyncAll() {
    entries().forEach(entry -> entry.stale = true);
  }

  /**
   * Failures that are the store being unavailable ({@link StoreUnavailable}) go to {@code outages}
   * (the service's store watch, which logs one line per outage and one when it is back) instead of
   * this follower's log.
   */
  public void reportOutagesTo(Consumer<Throwable> outages) {
    this.storeOutages = outages;
  }

  public boolean follows(String tag) {
    synchronized (followed) {
      return followed.containsKey(tag);
    }
  }

  /** Starts the rounds of reading (follow the first streams before or after, as suits). */
  public void start() {
    lastFullResync = clock.millis();
    round();
  }

  public void stop() {
    stopped = true;
    closeConnection();
  }

  /** Loads the stream through its subscriber, reading the head first; one load at a time. */
  private Uni<Void> load(Followed entry) {
    CompletableFuture<Void> run;
    synchronized (entry) {
      if (entry.loading != null) {
        return Uni.createFrom().completionStage(entry.loading);
      }
      run = new CompletableFuture<>();
      entry.loading = run;
    }
    changes
        .head(entry.tag)
        .flatMap(head -> entry.subscriber.resync().replaceWith(head))
        .subscribe()
        .with(
            head -> {
              synchronized (entry) {
                entry.position = head;
                entry.stale = false;
                entry.loading = null;
              }
              run.complete(null);
            },
            failure -> {
              synchronized (entry) {
                entry.stale = true;
                entry.loading = null;
              }
              run.completeExceptionally(failure);
            });
    return Uni.createFrom().completionStage(run);
  }

  /** One round: reconnect and reload where needed, then one blocking read and its events. */
  private void round() {
    if (stopped) {
      return;
    }
    prepare()
        .flatMap(x -> readAndApply())
        .subscribe()
        .with(
            events -> {
              if (failing) {
                failing = false;
                if (failingWithTheStore) {
                  LOG.debug("following the change streams again");
                } else {
                  LOG.info("following the change streams again");
                }
              }
              next(events);
            },
            this::failed);
  }

  private Uni<Void> prepare() {
    Uni<Void> connected =
        this.connected
            ? Uni.createFrom().voidItem()
            : redis
                .send(Request.cmd(Command.INFO).arg("cluster"))
                .invoke(
                    info -> perSlot = info != null && info.toString().contains("cluster_enabled:1"))
                .flatMap(info -> changes.lostAmong(positions()))
                .invoke(lost -> markLost(lost, "after a reconnect"))
                .invoke(() -> this.connected = true)
                .replaceWithVoid();
    return connected.flatMap(
        x -> {
          if (clock.millis() - lastFullResync > settings.resyncInterval().toMillis()) {
            lastFullResync = clock.millis();
            entries().forEach(entry -> entry.stale = true);
          }
          return reloadStale();
        });
  }

  /** Loads anew, one after the other, the streams marked stale that are still followed. */
  private Uni<Void> reloadStale() {
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (Followed entry : entries()) {
      chain =
          chain.flatMap(
              x -> entry.stale && isFollowed(entry) ? load(entry) : Uni.createFrom().voidItem());
    }
    return chain;
  }

  /**
   * Reads every loaded stream once (a lane that is still waiting from an earlier round goes on
   * waiting); answers how many events it read.
   */
  private Uni<Integer> readAndApply() {
    Map<Integer, Map<String, Followed>> byLane = new LinkedHashMap<>();
    for (Followed entry : entries()) {
      if (entry.position != null) {
        String key = changes.key(entry.tag);
        byLane.computeIfAbsent(laneOf(key), l -> new LinkedHashMap<>()).put(key, entry);
      }
    }
    lanes.keySet().removeIf(lane -> !byLane.containsKey(lane) && closed(lanes.get(lane)));
    if (byLane.isEmpty()) {
      return Uni.createFrom().item(0).onItem().delayIt().by(Duration.ofMillis(BLOCK_MILLIS));
    }
    if (stopped) {
      return Uni.createFrom().failure(new IllegalStateException("the follower was stopped"));
    }
    List<Uni<Void>> starts = new ArrayList<>();
    byLane.forEach(
        (id, byKey) -> {
          Lane lane = lanes.computeIfAbsent(id, x -> new Lane());
          if (lane.reading == null) {
            starts.add(startRead(lane, byKey));
          }
        });
    Uni<Void> started =
        starts.isEmpty()
            ? Uni.createFrom().voidItem()
            : Uni.join().all(starts).andFailFast().replaceWithVoid();
    return started
        .flatMap(
            x ->
                Uni.createFrom()
                    .completionStage(
                        CompletableFuture.anyOf(
                            lanes.values().stream()
                                .map(lane -> lane.reading)
                                .filter(r -> r != null)
                                .toArray(CompletableFuture[]::new))))
        .flatMap(x -> applyAnswered());
  }

  /** Sends the lane's next XREAD (connecting it first when needed); does not wait for it. */
  private Uni<Void> startRead(Lane lane, Map<String, Followed> byKey) {
    Map<String, String> readFrom = new LinkedHashMap<>();
    byKey.values().forEach(entry -> readFrom.put(entry.tag, entry.position));
    Request read =
        Request.cmd(Command.XREAD)
            .arg("COUNT")
            .arg(settings.batch())
            .arg("BLOCK")
            .arg(BLOCK_MILLIS)
            .arg("STREAMS");
    byKey.keySet().forEach(read::arg);
    readFrom.values().forEach(read::arg);
    Uni<RedisConnection> connection =
        lane.connection != null
            ? Uni.createFrom().item(lane.connection)
            : redis
                .connect()
                .invoke(
                    c -> {
                      // Else the client logs a reset as an unhandled ERROR; the read in flight
                      // fails too, and that failure is the one reported.
                      c.exceptionHandler(e -> LOG.debugf("the follower's connection: %s", e));
                      lane.connection = c;
                    });
    return connection
        .invoke(
            c -> {
              lane.byKey = byKey;
              lane.readFrom = readFrom;
              lane.reading = c.send(read).subscribeAsCompletionStage();
            })
        .replaceWithVoid();
  }

  /** Applies what the lanes that answered read, for the streams still where the read began. */
  private Uni<Integer> applyAnswered() {
    List<Read> reads = new ArrayList<>();
    Map<String, String> readFrom = new LinkedHashMap<>();
    for (Lane lane : lanes.values()) {
      CompletableFuture<Response> reading = lane.reading;
      if (reading == null || !reading.isDone()) {
        continue;
      }
      lane.reading = null;
      Response reply;
      try {
        reply = reading.join();
      } catch (java.util.concurrent.CompletionException e) {
        return Uni.createFrom().failure(e.getCause() != null ? e.getCause() : e);
      } catch (java.util.concurrent.CancellationException e) {
        return Uni.createFrom().failure(e);
      }
      for (Read read : streamsOf(reply, lane.byKey)) {
        String from = lane.readFrom.get(read.entry().tag);
        // A stream loaded anew since the read began is read again from its new position.
        if (from != null && from.equals(read.entry().position)) {
          reads.add(read);
          readFrom.put(read.entry().tag, from);
        }
      }
    }
    return apply(reads, readFrom);
  }

  /** The lane of a stream: its hash slot on a cluster, the one lane on a single Redis. */
  private int laneOf(String streamKey) {
    return perSlot ? SlotBatches.slot(streamKey) : 0;
  }

  private static boolean closed(Lane lane) {
    if (lane != null) {
      lane.close();
    }
    return true;
  }

  /** One stream's part of a read. */
  private record Read(Followed entry, List<ChangeEvent> events) {}

  private Uni<Integer> apply(List<Read> reads, Map<String, String> readFrom) {
    if (reads.isEmpty()) {
      return Uni.createFrom().item(0);
    }
    int total = reads.stream().mapToInt(read -> read.events().size()).sum();
    return changes
        .lostAmong(readFrom)
        .flatMap(
            lost -> {
              markLost(lost, "while it was being read");
              Uni<Void> chain = Uni.createFrom().voidItem();
              for (Read read : reads) {
                Followed entry = read.entry();
                if (lost.contains(entry.tag)) {
                  continue;
                }
                String last = read.events().get(read.events().size() - 1).id();
                chain =
                    chain.flatMap(
                        x ->
                            isFollowed(entry)
                                ? entry
                                    .subscriber
                                    .apply(read.events())
                                    .invoke(() -> entry.position = last)
                                : Uni.createFrom().voidItem());
              }
              return chain.replaceWith(total);
            });
  }

  private void markLost(Set<String> lost, String when) {
    for (String tag : lost) {
      Followed entry;
      synchronized (followed) {
        entry = followed.get(tag);
      }
      if (entry != null) {
        LOG.warnf(
            "the change stream %s lost entries this follower had not read (%s: trimmed past its"
                + " position, or reset); loading it anew",
            changes.key(tag), when);
        entry.stale = true;
      }
    }
  }

  /**
   * Reads again at once, unless changes are coming faster than they are applied one by one (this
   * round read more than one): then waits {@code coalescing}, so that the next round gathers more.
   */
  private void next(int events) {
    long coalescing = settings.coalescing().toNanos();
    if (events > 1 && coalescing > 0) {
      Uni.createFrom()
          .voidItem()
          .onItem()
          .delayIt()
          .by(Duration.ofNanos(coalescing))
          .subscribe()
          .with(x -> round());
      return;
    }
    round();
  }

  private void failed(Throwable error) {
    if (stopped) {
      return;
    }
    Consumer<Throwable> outages = storeOutages;
    boolean storeDown = outages != null && StoreUnavailable.is(error);
    if (storeDown) {
      outages.accept(error); // logged there, once per outage
    }
    if (!failing) {
      failing = true;
      failingWithTheStore = storeDown;
      if (storeDown) {
        LOG.debugf(
            "following the change streams failed (%s): the store is down", error.getMessage());
      } else {
        LOG.warnf(
            "following the change streams failed (%s); retrying every %s until it works",
            error.getMessage(), settings.retryDelay());
      }
    }
    closeConnection();
    Uni.createFrom()
        .voidItem()
        .onItem()
        .delayIt()
        .by(settings.retryDelay())
        .subscribe()
        .with(x -> round());
  }

  private Map<String, String> positions() {
    Map<String, String> positions = new LinkedHashMap<>();
    for (Followed entry : entries()) {
      if (entry.position != null) {
        positions.put(entry.tag, entry.position);
      }
    }
    return positions;
  }

  private List<Followed> entries() {
    synchronized (followed) {
      return new ArrayList<>(followed.values());
    }
  }

  private boolean isFollowed(Followed entry) {
    synchronized (followed) {
      return followed.get(entry.tag) == entry;
    }
  }

  private void closeConnection() {
    connected = false;
    lanes.values().forEach(Lane::close);
    lanes.clear();
  }

  /**
   * The streams of an XREAD answer: a map of stream to entries (RESP3) or a list of [stream,
   * entries] pairs (RESP2).
   */
  private static List<Read> streamsOf(Response reply, Map<String, Followed> byKey) {
    List<Read> reads = new ArrayList<>();
    if (reply == null) {
      return reads;
    }
    if (reply.isMap()) {
      for (String key : reply.getKeys()) {
        add(reads, byKey.get(key), reply.get(key));
      }
    } else {
      for (Response pair : reply) {
        add(reads, byKey.get(pair.get(0).toString()), pair.get(1));
      }
    }
    return reads;
  }

  private static void add(List<Read> reads, Followed entry, Response entries) {
    List<ChangeEvent> events = ChangeStream.parse(entries);
    if (entry != null && !events.isEmpty()) {
      reads.add(new Read(entry, events));
    }
  }
}

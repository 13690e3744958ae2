package dev.quma.xds.dump;

import dev.quma.core.dump.ConfigDumpReply;
import dev.quma.core.dump.ConfigDumpRequest;
import dev.quma.core.store.Keys;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.SlotBatches;
import dev.quma.core.store.StoreUnavailable;
import dev.quma.core.store.StoreWatch;
import dev.quma.xds.config.XdsConfig;
import dev.quma.xds.snapshot.ProxyKey;
import dev.quma.xds.streams.ConfigMemory;
import dev.quma.xds.streams.ProxyStreams;
import dev.quma.xds.streams.StreamSession;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Answers config dump requests for the proxies whose streams this replica holds: it listens on its
 * own pub/sub channel ({@link Keys#xdsDumpChannel}, named by its {@code controlPlaneInstanceId},
 * which the insights record) on a connection of its own, renders the stream's {@link ConfigMemory}
 * off the event loop and pushes the answer onto the request's reply list, which expires if nobody
 * reads it. A lost connection is re-established every second until Redis answers again; an outage
 * of the store is logged once, by the store watch, not once per attempt.
 */
@ApplicationScoped
public class ConfigDumpResponder {
  private static final Logger LOG = Logger.getLogger(ConfigDumpResponder.class);
  private static final long RECONNECT_MILLIS = 1000;

  private final Redis redis;
  private final Keys keys;
  private final ProxyStreams streams;
  private final String instanceId;
  private final ConfigDumpRenderer renderer = new ConfigDumpRenderer();
  private final ScheduledExecutorService reconnects =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "xds-dump-reconnect");
            thread.setDaemon(true);
            return thread;
          });
  private final StoreWatch watch;
  private volatile RedisConnection connection;
  private volatile boolean stopped;
  private volatile boolean failing;

  public ConfigDumpResponder(
      Redis redis, ResourceStore store, ProxyStreams streams, XdsConfig config, StoreWatch watch) {
    this.redis = redis;
    this.watch = watch;
    this.keys = store.keys();
    this.streams = streams;
    this.instanceId = config.instanceId();
  }

  void onStart(@Observes StartupEvent event) {
    subscribe();
  }

  void onStop(@Observes ShutdownEvent event) {
    stopped = true;
    reconnects.shutdownNow();
    RedisConnection current = connection;
    if (current != null) {
      current.close().subscribe().with(x -> {}, e -> {});
    }
  }

  /** The channel this replica listens on. */
  public String channel() {
    return keys.xdsDumpChannel(instanceId);
  }

  private void subscribe() {
    if (stopped) {
      return;
    }
    redis
        .connect()
        .flatMap(
            opened -> {
              connection = opened;
              opened.handler(this::onMessage);
              opened.exceptionHandler(e -> lost(opened, e.getMessage()));
              opened.endHandler(() -> lost(opened, "connection closed"));
              return opened.send(Request.cmd(Command.SUBSCRIBE).arg(channel()));
            })
        .subscribe()
        .with(
            subscribed -> {
              LOG.debugf("listening for config dump requests on %s", channel());
              failing = false;
            },
            e -> {
              if (StoreUnavailable.is(e)) {
                watch.unavailable(e); // its one line per outage
                LOG.debugf("could not listen for config dump requests: %s", e.getMessage());
              } else if (!failing) {
                LOG.warnf(
                    "could not listen for config dump requests (%s); trying again every %d ms",
                    e.getMessage(), RECONNECT_MILLIS);
              }
              failing = true;
              retry();
            });
  }

  private void lost(RedisConnection lost, String why) {
    if (connection != lost || stopped) {
      return;
    }
    connection = null;
    // Said by the next attempt if it fails (or by the store watch): a closed connection alone is
    // no news.
    LOG.debugf("config dump requests: %s; listening again in %d ms", why, RECONNECT_MILLIS);
    lost.close().subscribe().with(x -> {}, e -> {});
    retry();
  }

  private void retry() {
    if (!stopped) {
      reconnects.schedule(this::subscribe, RECONNECT_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  /** A pub/sub push: {@code message, channel, payload} (RESP2 and RESP3 alike). */
  private void onMessage(Response push) {
    if (push == null || push.size() < 3 || !"message".equals(push.get(0).toString())) {
      return;
    }
    ConfigDumpRequest request;
    try {
      request = ConfigDumpRequest.decode(push.get(2).toString());
    } catch (IllegalArgumentException e) {
      LOG.warnf("ignored a config dump request: %s", e.getMessage());
      return;
    }
    Uni.createFrom()
        .item(() -> answer(request))
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
        .flatMap(reply -> reply(request, reply))
        .subscribe()
        .with(
            x -> {},
            e ->
                LOG.warnf(
                    "could not answer the config dump request for %s.%s: %s",
                    request.mesh(), request.name(), e.getMessage()));
  }

  ConfigDumpReply answer(ConfigDumpRequest request) {
    List<StreamSession> sessions = streams.sessionsOf(new ProxyKey(request.mesh(), request.name()));
    StreamSession session =
        sessions.stream()
            .filter(s -> s.subscriptionId().equals(request.subscriptionId()))
            .findFirst()
            .or(
                () ->
                    sessions.stream()
                        .max(Comparator.comparing(s -> s.subscription(null).connectTime())))
            .orElse(null);
    if (session == null) {
      return ConfigDumpReply.notConnected(
          "dataplane \""
              + request.name()
              + "\" of mesh \""
              + request.mesh()
              + "\" has no stream on xDS replica \""
              + instanceId
              + "\" (it disconnected, or moved to another replica)");
    }
    try {
      return ConfigDumpReply.found(renderer.render(session, request.includeEndpoints()));
    } catch (RuntimeException e) {
      LOG.errorf(e, "could not render the config dump of %s", session.key());
      return ConfigDumpReply.failed(
          "xDS replica \"" + instanceId + "\" could not render the config: " + e.getMessage());
    }
  }

  private Uni<Void> reply(ConfigDumpRequest request, ConfigDumpReply reply) {
    String list = keys.xdsDumpReply(request.mesh(), request.id());
    return SlotBatches.batch(
            redis,
            List.of(
                Request.cmd(Command.RPUSH).arg(list).arg(reply.encode()),
                Request.cmd(Command.PEXPIRE)
                    .arg(list)
                    .arg(ConfigDumpRequest.REPLY_EXPIRES.toMillis())))
        .replaceWithVoid();
  }
}

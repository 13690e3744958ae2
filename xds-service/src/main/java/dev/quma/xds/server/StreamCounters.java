package dev.quma.xds.server;

import dev.quma.xds.snapshot.ProxyKey;
import dev.quma.xds.streams.ConfigMemory;
import dev.quma.xds.streams.StreamSession;
import dev.quma.xds.streams.StreamSession.XdsType;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.Context;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Counts, from java-control-plane's own callbacks, what every ADS stream sends and what its proxy
 * acknowledges or rejects, for state of the world and Delta alike: the insight's counters and the
 * config dump's memory (both in the stream's {@link StreamSession}), and the NACK metric and log.
 * The library numbers its streams; a stream is tied to its session as its handler opens ({@link
 * #opening}) and let go when it closes.
 */
public final class StreamCounters implements DiscoveryServerCallbacks {
  private static final Logger LOG = Logger.getLogger(StreamCounters.class);
  private static final Context.Key<StreamSession> OPENING = Context.key("quma-opening-session");

  private final Map<Long, StreamSession> sessions = new ConcurrentHashMap<>();
  private final Runnable onNack;
  private final Consumer<ProxyKey> onFirstEndpointsAnswer;
  private final Clock clock;

  /**
   * @param onNack told of every config a proxy rejected (the metric)
   */
  public StreamCounters(Runnable onNack, Clock clock) {
    this(onNack, key -> {}, clock);
  }

  /**
   * @param onFirstEndpointsAnswer told when a stream's proxy first answers (ACK or NACK) its
   *     endpoints: from then on it is pushed intermediate endpoint sets (see {@code PushPacing})
   */
  public StreamCounters(Runnable onNack, Consumer<ProxyKey> onFirstEndpointsAnswer, Clock clock) {
    this.onNack = onNack;
    this.onFirstEndpointsAnswer = onFirstEndpointsAnswer;
    this.clock = clock;
  }

  /**
   * Opens a handler whose stream counts into {@code session}: the library announces the stream
   * ({@link #onStreamOpen}) on the thread that opens its handler.
   */
  static <T> T opening(StreamSession session, Supplier<T> open) {
    Context context = Context.current().withValue(OPENING, session);
    Context previous = context.attach();
    try {
      return open.get();
    } finally {
      context.detach(previous);
    }
  }

  /** How many streams are tied to a session now (each ADS stream served here is, until closed). */
  public int streams() {
    return sessions.size();
  }

  @Override
  public void onStreamOpen(long streamId, String typeUrl) {
    StreamSession session = OPENING.get();
    if (session != null) {
      sessions.put(streamId, session);
    }
  }

  @Override
  public void onStreamClose(long streamId, String typeUrl) {
    sessions.remove(streamId);
  }

  @Override
  public void onStreamCloseWithError(long streamId, String typeUrl, Throwable error) {
    sessions.remove(streamId);
  }

  @Override
  public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
    StreamSession session = sessions.get(streamId);
    if (session == null || request.getResponseNonce().isEmpty()) {
      return;
    }
    if (request.hasErrorDetail()) {
      // The stream named the rejected version in place of the last accepted one (SotwProxyStream).
      rejected(
          session,
          request.getTypeUrl(),
          request.getResponseNonce(),
          request.getErrorDetail().getMessage(),
          " version " + request.getVersionInfo());
    } else {
      acknowledged(session, request.getTypeUrl(), request.getResponseNonce());
    }
  }

  @Override
  public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {
    StreamSession session = sessions.get(streamId);
    if (session == null || request.getResponseNonce().isEmpty()) {
      return;
    }
    if (request.hasErrorDetail()) {
      rejected(
          session,
          request.getTypeUrl(),
          request.getResponseNonce(),
          request.getErrorDetail().getMessage(),
          "");
    } else {
      acknowledged(session, request.getTypeUrl(), request.getResponseNonce());
    }
  }

  @Override
  public void onV3StreamResponse(
      long streamId, DiscoveryRequest request, DiscoveryResponse response) {
    StreamSession session = sessions.get(streamId);
    if (session == null) {
      return;
    }
    session.sent(response.getTypeUrl(), clock.instant());
    session
        .config()
        .sentAll(
            response.getTypeUrl(),
            response.getVersionInfo(),
            response.getNonce(),
            response.getResourcesList(),
            clock.instant());
  }

  @Override
  public void onV3StreamDeltaResponse(
      long streamId, DeltaDiscoveryRequest request, DeltaDiscoveryResponse response) {
    StreamSession session = sessions.get(streamId);
    if (session == null) {
      return;
    }
    session.sent(response.getTypeUrl(), clock.instant());
    List<ConfigMemory.Named> changed = new ArrayList<>(response.getResourcesCount());
    for (Resource resource : response.getResourcesList()) {
      changed.add(
          new ConfigMemory.Named(
              resource.getName(), resource.getVersion(), resource.getResource()));
    }
    session
        .config()
        .sentChanges(
            response.getTypeUrl(),
            response.getSystemVersionInfo(),
            response.getNonce(),
            changed,
            response.getRemovedResourcesList(),
            clock.instant());
  }

  private void acknowledged(StreamSession session, String typeUrl, String nonce) {
    session.acknowledged(typeUrl, clock.instant());
    session.config().acknowledged(typeUrl, nonce, clock.instant());
    answered(session, typeUrl);
  }

  private void answered(StreamSession session, String typeUrl) {
    if (XdsType.of(typeUrl) == XdsType.EDS && session.answers(XdsType.EDS) == 1) {
      onFirstEndpointsAnswer.accept(session.key());
    }
  }

  private void rejected(
      StreamSession session, String typeUrl, String nonce, String message, String version) {
    session.rejected(typeUrl, message, clock.instant());
    session.config().rejected(typeUrl, nonce, message, clock.instant());
    onNack.run();
    answered(session, typeUrl);
    LOG.warnf("%s rejected %s%s: %s", session.key(), typeUrl, version, message);
  }
}

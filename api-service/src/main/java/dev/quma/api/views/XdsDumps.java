package dev.quma.api.views;

import dev.quma.api.ApiConfig;
import dev.quma.core.dump.ConfigDumpReply;
import dev.quma.core.dump.ConfigDumpRequest;
import dev.quma.core.insight.DataplaneInsight;
import dev.quma.core.insight.DataplaneInsight.DiscoverySubscription;
import dev.quma.core.insight.InsightReader;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.Keys;
import dev.quma.core.store.ResourceStore;
import dev.quma.http.errors.ApiException;
import dev.quma.http.errors.Errors;
import io.quarkus.redis.client.RedisClientName;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * {@code GET /meshes/{mesh}/dataplanes/{name}/xds}: Envoy's {@code config_dump} of what the xDS
 * tier sent a proxy and what the proxy acknowledged or rejected. Kuma asks the proxy's Envoy; the
 * xDS replica that holds the stream knows it first-hand, so the API asks that replica: the
 * dataplane's insight names it (the open subscription's {@code controlPlaneInstanceId}); the
 * request goes out on that replica's pub/sub channel and the answer comes back on a short-lived
 * list, read with BLPOP on a connection pool of its own so that waiting never holds a connection
 * the rest of the API needs.
 */
@ApplicationScoped
public class XdsDumps {
  static final String TITLE = "Could not get the proxy's config";

  private final ResourceStore store;
  private final InsightReader insights;
  private final Redis redis;
  private final Redis blocking;
  private final Keys keys;
  private final Duration timeout;

  public XdsDumps(
      ResourceStore store,
      InsightReader insights,
      Redis redis,
      @RedisClientName("xds-dump") Redis blocking,
      ApiConfig config) {
    this.store = store;
    this.insights = insights;
    this.redis = redis;
    this.blocking = blocking;
    this.keys = store.keys();
    this.timeout = config.xdsDumpTimeout();
  }

  public Uni<Response> dump(String mesh, String name, boolean includeEndpoints) {
    return store
        .get(ResourceType.DATAPLANE, mesh, name)
        .flatMap(dataplane -> insights.get(mesh, name))
        .flatMap(
            insight -> {
              DiscoverySubscription open = openSubscription(insight);
              if (open == null) {
                return Uni.createFrom()
                    .failure(
                        new ApiException(
                            404,
                            TITLE,
                            "dataplane \""
                                + name
                                + "\" of mesh \""
                                + mesh
                                + "\" is not connected to the control plane: it has no xDS"
                                + " stream, so no config to show"));
              }
              ConfigDumpRequest request =
                  new ConfigDumpRequest(
                      UUID.randomUUID().toString(), mesh, name, open.id(), includeEndpoints);
              return ask(open.controlPlaneInstanceId(), request);
            })
        .onFailure()
        .transform(Errors.titled(TITLE));
  }

  /** The latest subscription that is still open, or null. */
  static DiscoverySubscription openSubscription(DataplaneInsight insight) {
    List<DiscoverySubscription> subscriptions = insight.subscriptions();
    for (int i = subscriptions.size() - 1; i >= 0; i--) {
      DiscoverySubscription s = subscriptions.get(i);
      if (s.connectTime() != null && s.disconnectTime() == null) {
        return s;
      }
    }
    return null;
  }

  private Uni<Response> ask(String replica, ConfigDumpRequest request) {
    Request publish =
        Request.cmd(Command.PUBLISH).arg(keys.xdsDumpChannel(replica)).arg(request.encode());
    return redis
        .send(publish)
        .flatMap(
            receivers -> {
              int listening = receivers == null ? 0 : receivers.toInteger();
              if (listening == 0) {
                return Uni.createFrom()
                    .failure(
                        new ApiException(
                            404,
                            TITLE,
                            "dataplane \""
                                + request.name()
                                + "\" is not connected: its stream was on xDS replica \""
                                + replica
                                + "\", which no longer answers (the proxy reconnects to another"
                                + " replica)"));
              }
              return awaitReplies(replica, request, listening);
            });
  }

  /**
   * Waits for the replies of the {@code listening} replicas (one, unless several share an id) and
   * takes the first that has the stream.
   */
  private Uni<Response> awaitReplies(String replica, ConfigDumpRequest request, int listening) {
    String seconds = String.format(Locale.ROOT, "%.3f", timeout.toMillis() / 1000.0);
    return blocking
        .send(
            Request.cmd(Command.BLPOP)
                .arg(keys.xdsDumpReply(request.mesh(), request.id()))
                .arg(seconds))
        .flatMap(
            popped -> {
              if (popped == null) {
                return Uni.createFrom()
                    .failure(
                        new ApiException(
                            504,
                            TITLE,
                            "xDS replica \""
                                + replica
                                + "\" did not answer within "
                                + timeout.toMillis()
                                + " ms"));
              }
              ConfigDumpReply reply = ConfigDumpReply.decode(popped.get(1).toString());
              if (reply.status() == 404 && listening > 1) {
                return awaitReplies(replica, request, listening - 1);
              }
              return Uni.createFrom().item(respond(reply));
            });
  }

  private static Response respond(ConfigDumpReply reply) {
    return switch (reply.status()) {
      case 200 -> Response.ok(reply.body(), MediaType.APPLICATION_JSON_TYPE).build();
      case 404 -> throw new ApiException(404, TITLE, reply.body());
      default -> throw new ApiException(502, TITLE, reply.body());
    };
  }
}

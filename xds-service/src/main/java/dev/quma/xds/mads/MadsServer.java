package dev.quma.xds.mads;

import dev.quma.xds.follow.ViewSync;
import dev.quma.xds.snapshot.ProxySnapshots;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServiceBridge;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The MADS port (5676) of this xDS replica: one Vert.x server for both transports, as Kuma's, gRPC
 * (HTTP/2, {@code application/grpc}) to {@link MadsGrpc} and everything else to {@link MadsHttp}.
 * Each replica answers the same from its mesh views, so Prometheus may be sent to any of them. The
 * port is auxiliary to the replica's job (ADS): when it is taken (a second replica on one host),
 * this replica says so once and serves xDS without MADS.
 */
@ApplicationScoped
public class MadsServer {
  private static final Logger LOG = Logger.getLogger(MadsServer.class);

  private final Vertx vertx;
  private final MadsConfig config;
  private final ProxySnapshots snapshots;
  private final ViewSync views;
  private volatile HttpServer server;

  public MadsServer(Vertx vertx, MadsConfig config, ProxySnapshots snapshots, ViewSync views) {
    this.vertx = vertx;
    this.config = config;
    this.snapshots = snapshots;
    this.views = views;
  }

  void onStart(@Observes StartupEvent event) {
    if (!config.enabled()) {
      return;
    }
    AssignmentCache cache = new AssignmentCache(snapshots);
    AssignmentWaits waits = new AssignmentWaits(vertx, cache, config.refreshInterval());
    MadsHttp http = new MadsHttp(cache, waits, config, views::loaded);
    GrpcServer grpc = GrpcServer.server(vertx);
    GrpcServiceBridge.bridge(new MadsGrpc(cache, waits, views::loaded).definition()).bind(grpc);
    HttpServer created =
        vertx.createHttpServer(
            new HttpServerOptions()
                .setHost(config.host())
                .setPort(config.port())
                .setHttp2ClearTextEnabled(true)
                .setIdleTimeout((int) Math.max(60, config.maxFetchTimeout().toSeconds() + 60))
                .setIdleTimeoutUnit(TimeUnit.SECONDS));
    created.requestHandler(request -> route(request, grpc, http));
    try {
      server = created.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      LOG.infof("MADS (HTTP and gRPC) on %s:%d", config.host(), server.actualPort());
    } catch (Exception e) {
      LOG.warnf(
          "MADS not served: port %d could not be bound (%s); this replica serves xDS only",
          config.port(), e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
    }
  }

  private static void route(HttpServerRequest request, GrpcServer grpc, MadsHttp http) {
    String type = request.getHeader("Content-Type");
    if (type != null && type.startsWith("application/grpc")) {
      grpc.handle(request);
    } else {
      http.handle(request);
    }
  }

  /** The port MADS is served on, or -1 when it is not. */
  public int port() {
    HttpServer bound = server;
    return bound == null ? -1 : bound.actualPort();
  }

  void onStop(@Observes ShutdownEvent event) {
    HttpServer bound = server;
    if (bound != null) {
      try {
        bound.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.debugf("MADS server close: %s", e.getMessage());
      }
    }
  }
}

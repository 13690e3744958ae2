package dev.quma.xds.server;

import dev.quma.xds.config.XdsConfig;
import io.quarkus.grpc.api.ServerBuilderCustomizer;
import io.quarkus.grpc.runtime.config.GrpcServerConfiguration;
import io.vertx.grpc.VertxServerBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;

/**
 * Gives the gRPC server its keepalive ({@link XdsConfig.Keepalive}). Quarkus' own settings have the
 * ping interval but not the time a ping may go unanswered, which is what bounds how long a silent
 * proxy looks connected. Quarkus' separate gRPC server is built by Vert.x over grpc-java's Netty
 * transport, which has both.
 */
@ApplicationScoped
public class ServerKeepalive implements ServerBuilderCustomizer<VertxServerBuilder> {
  private final XdsConfig.Keepalive keepalive;

  public ServerKeepalive(XdsConfig config) {
    this.keepalive = config.keepalive();
  }

  @Override
  public void customize(GrpcServerConfiguration config, VertxServerBuilder builder) {
    builder
        .nettyBuilder()
        .keepAliveTime(keepalive.time().toMillis(), TimeUnit.MILLISECONDS)
        .keepAliveTimeout(keepalive.timeout().toMillis(), TimeUnit.MILLISECONDS);
  }
}

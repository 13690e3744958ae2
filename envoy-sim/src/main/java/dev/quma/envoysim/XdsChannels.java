package dev.quma.envoysim;

import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/** Channels to an xDS server the way Envoy connects: TLS trusting the control plane's CA. */
public final class XdsChannels {
  private XdsChannels() {}

  public static ManagedChannel tls(String host, int port, Path caCertificate) {
    try {
      return NettyChannelBuilder.forAddress(host, port)
          .sslContext(GrpcSslContexts.forClient().trustManager(caCertificate.toFile()).build())
          .maxInboundMessageSize(64 << 20)
          .build();
    } catch (SSLException e) {
      throw new IllegalStateException("cannot trust " + caCertificate, e);
    }
  }

  public static ManagedChannel plaintext(String host, int port) {
    return NettyChannelBuilder.forAddress(host, port)
        .usePlaintext()
        .maxInboundMessageSize(64 << 20)
        .build();
  }
}

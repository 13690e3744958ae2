package dev.quma.xds.envoy.clusters;

import com.google.protobuf.Duration;
import dev.quma.xds.envoy.EnvoyAny;
import dev.quma.xds.envoy.Protocol;
import dev.quma.xds.envoy.SocketAddresses;
import dev.quma.xds.envoy.names.EnvoyNames;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;

/**
 * Clusters: a static one for the local application of an inbound, an EDS one (endpoints over ADS)
 * for each outbound target. HTTP/2 and gRPC upstreams are told to speak HTTP/2. Each kind is built
 * from exactly one input record, the key of the generator's memo.
 */
public final class ClusterFactory {
  private ClusterFactory() {}

  static final String HTTP_PROTOCOL_OPTIONS =
      "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";
  private static final Duration LOCAL_CONNECT_TIMEOUT =
      Duration.newBuilder().setSeconds(10).build();
  private static final Duration MESH_CONNECT_TIMEOUT = Duration.newBuilder().setSeconds(5).build();
  private static final ConfigSource ADS =
      ConfigSource.newBuilder()
          .setAds(AggregatedConfigSource.getDefaultInstance())
          .setResourceApiVersion(ApiVersion.V3)
          .build();

  /** The application next to the proxy, at {@code address:port}. */
  public record LocalInput(String name, String address, int port, Protocol protocol) {}

  /** An outbound target's cluster, named after the target. */
  public record EdsInput(String name, Protocol protocol) {}

  /** The proxy's own Envoy admin, on loopback at {@code port}. */
  public record AdminInput(int port) {}

  /** Kuma's {@code kuma:envoy:admin}: the proxy's admin, for listeners that expose parts of it. */
  public static Cluster admin(AdminInput in) {
    return local(new LocalInput(EnvoyNames.ADMIN_CLUSTER, "127.0.0.1", in.port(), Protocol.TCP));
  }

  public static Cluster local(LocalInput in) {
    String name = in.name();
    Cluster.Builder cluster =
        Cluster.newBuilder()
            .setName(name)
            .setAltStatName(EnvoyNames.stat(name))
            .setType(Cluster.DiscoveryType.STATIC)
            .setConnectTimeout(LOCAL_CONNECT_TIMEOUT)
            .setLoadAssignment(
                ClusterLoadAssignment.newBuilder()
                    .setClusterName(name)
                    .addEndpoints(
                        LocalityLbEndpoints.newBuilder()
                            .addLbEndpoints(
                                LbEndpoint.newBuilder()
                                    .setEndpoint(
                                        io.envoyproxy.envoy.config.endpoint.v3.Endpoint.newBuilder()
                                            .setAddress(
                                                SocketAddresses.of(in.address(), in.port()))))));
    return withProtocol(cluster, in.protocol()).build();
  }

  /** Its endpoints come separately, by EDS, under the same name. */
  public static Cluster eds(EdsInput in) {
    Cluster.Builder cluster =
        Cluster.newBuilder()
            .setName(in.name())
            .setAltStatName(EnvoyNames.stat(in.name()))
            .setType(Cluster.DiscoveryType.EDS)
            .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(ADS))
            .setConnectTimeout(MESH_CONNECT_TIMEOUT);
    return withProtocol(cluster, in.protocol()).build();
  }

  private static Cluster.Builder withProtocol(Cluster.Builder cluster, Protocol protocol) {
    if (protocol.http2()) {
      HttpProtocolOptions options =
          HttpProtocolOptions.newBuilder()
              .setExplicitHttpConfig(
                  HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
                      .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance()))
              .build();
      cluster.putTypedExtensionProtocolOptions(HTTP_PROTOCOL_OPTIONS, EnvoyAny.pack(options));
    }
    return cluster;
  }
}

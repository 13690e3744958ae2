package dev.quma.bootstrap.envoy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Any;
import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.Value;
import com.google.protobuf.util.Durations;
import dev.quma.bootstrap.BootstrapConfig.AdsApiType;
import dev.quma.core.codec.ResourceCodec;
import dev.quma.core.model.Dataplane;
import dev.quma.core.model.ProxyType;
import io.envoyproxy.envoy.config.bootstrap.v3.Admin;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.Cluster.DiscoveryType;
import io.envoyproxy.envoy.config.cluster.v3.UpstreamConnectionOptions;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TcpKeepalive;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Builds a proxy's Envoy v3 bootstrap: who it is (node id {@code mesh.name}, cluster = its service,
 * Kuma's metadata keys), its admin on loopback, ADS (and HDS, for service probes) to the xDS tier
 * with the dataplane token as the streams' {@code authorization} metadata, and the agent's
 * readiness reporter as the {@code kuma:readiness} cluster. Pure: no I/O, the same input gives the
 * same output.
 */
public final class EnvoyBootstrapFactory {
  /** Kuma's node metadata keys, which the xDS tier reads back. */
  public static final String PROXY_TYPE_KEY = "dataplane.proxyType";

  public static final String RESOURCE_KEY = "dataplane.resource";
  public static final String ADMIN_PORT_KEY = "dataplane.admin.port";
  public static final String READINESS_PORT_KEY = "dataplane.readinessReporter.port";
  public static final String VERSION_KEY = "version";

  /**
   * Not Kuma's: the id of the proxy instance the bootstrap starts, so that the xDS tier can tell
   * this proxy reconnecting from a second one under its name.
   */
  public static final String PROXY_INSTANCE_KEY = "quma.proxyInstance";

  /** The static cluster of the xDS tier (Kuma 2.9's name). */
  public static final String ADS_CLUSTER = "ads_cluster";

  /** The static cluster of the agent's readiness reporter (Kuma's name). */
  public static final String READINESS_CLUSTER = "kuma:readiness";

  private static final String ADMIN_ADDRESS = "127.0.0.1";
  private static final String HTTP_OPTIONS =
      "envoy.extensions.upstreams.http.v3.HttpProtocolOptions";
  private static final String TLS_SOCKET = "envoy.transport_sockets.tls";
  private static final Pattern IP_LITERAL = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}|.*:.*");

  private final BootstrapSettings settings;
  // The same for every proxy with the same readiness port: built once per port (and so printed
  // once, see BootstrapRenderer); almost every agent uses the default port.
  private final Bootstrap.StaticResources staticResources;
  private final Map<Integer, Bootstrap.StaticResources> withReadiness = new ConcurrentHashMap<>();

  public EnvoyBootstrapFactory(BootstrapSettings settings) {
    this.settings = settings;
    this.staticResources = Bootstrap.StaticResources.newBuilder().addClusters(adsCluster()).build();
  }

  public Bootstrap build(BootstrapInput input) {
    Dataplane spec = input.dataplane().spec();
    int adminPort = adminPort(spec, input.requestedAdminPort());
    Bootstrap.Builder bootstrap =
        Bootstrap.newBuilder()
            .setNode(node(input, adminPort))
            .setAdmin(Admin.newBuilder().setAddress(address(ADMIN_ADDRESS, adminPort)))
            .setDynamicResources(dynamicResources(input.token()))
            .setStaticResources(staticResources(input.readinessPort()));
    if (settings.hds()) {
      // Envoy opens the Health Discovery Service stream to the xDS tier, as it does ADS.
      bootstrap.setHdsConfig(
          ApiConfigSource.newBuilder()
              .setApiType(ApiConfigSource.ApiType.GRPC)
              .setTransportApiVersion(ApiVersion.V3)
              .setSetNodeOnFirstMessageOnly(true)
              .addGrpcServices(xdsService(input.token())));
    }
    return bootstrap.build();
  }

  private Bootstrap.StaticResources staticResources(Integer readinessPort) {
    if (readinessPort == null || readinessPort <= 0) {
      return staticResources;
    }
    return withReadiness.computeIfAbsent(
        readinessPort,
        port -> staticResources.toBuilder().addClusters(readinessCluster(port)).build());
  }

  /** The agent's readiness reporter on loopback, which HDS asks Envoy to check. */
  private static Cluster readinessCluster(int port) {
    return Cluster.newBuilder()
        .setName(READINESS_CLUSTER)
        .setType(DiscoveryType.STATIC)
        .setConnectTimeout(Durations.fromSeconds(1))
        .setLoadAssignment(oneEndpoint(READINESS_CLUSTER, address(ADMIN_ADDRESS, port)))
        .build();
  }

  /** The dataplane's own admin port, else the agent's, else the configured default. */
  public int adminPort(Dataplane spec, Integer requested) {
    if (spec.networking() != null
        && spec.networking().admin() != null
        && spec.networking().admin().port() != null) {
      return spec.networking().admin().port();
    }
    return requested != null && requested > 0 ? requested : settings.defaultAdminPort();
  }

  private Node node(BootstrapInput input, int adminPort) {
    Dataplane spec = input.dataplane().spec();
    Struct.Builder metadata =
        Struct.newBuilder()
            .putFields(PROXY_TYPE_KEY, text(ProxyType.DATAPLANE.wireName()))
            .putFields(ADMIN_PORT_KEY, text(Integer.toString(adminPort)));
    if (input.direct()) {
      metadata.putFields(
          RESOURCE_KEY, text(ResourceCodec.instance().toTree(input.dataplane()).toString()));
    }
    if (input.readinessPort() != null && input.readinessPort() > 0) {
      metadata.putFields(READINESS_PORT_KEY, text(input.readinessPort().toString()));
    }
    if (input.proxyInstance() != null) {
      metadata.putFields(PROXY_INSTANCE_KEY, text(input.proxyInstance()));
    }
    if (input.version() != null && input.version().isObject()) {
      metadata.putFields(
          VERSION_KEY, Value.newBuilder().setStructValue(struct(input.version())).build());
    }
    return Node.newBuilder()
        .setId(input.dataplane().mesh() + "." + input.dataplane().name())
        .setCluster(spec.serviceName().orElse(input.dataplane().name()))
        .setMetadata(metadata)
        .build();
  }

  private Bootstrap.DynamicResources dynamicResources(String token) {
    ConfigSource viaAds =
        ConfigSource.newBuilder()
            .setAds(AggregatedConfigSource.getDefaultInstance())
            .setResourceApiVersion(ApiVersion.V3)
            .build();
    return Bootstrap.DynamicResources.newBuilder()
        .setAdsConfig(
            ApiConfigSource.newBuilder()
                .setApiType(
                    settings.adsApiType() == AdsApiType.GRPC
                        ? ApiConfigSource.ApiType.GRPC
                        : ApiConfigSource.ApiType.DELTA_GRPC)
                .setTransportApiVersion(ApiVersion.V3)
                .setSetNodeOnFirstMessageOnly(true)
                .addGrpcServices(xdsService(token)))
        .setCdsConfig(viaAds)
        .setLdsConfig(viaAds)
        .build();
  }

  /** The xDS tier's cluster, with the dataplane token as the stream's metadata. */
  private static GrpcService xdsService(String token) {
    return GrpcService.newBuilder()
        .setEnvoyGrpc(GrpcService.EnvoyGrpc.newBuilder().setClusterName(ADS_CLUSTER))
        .addInitialMetadata(HeaderValue.newBuilder().setKey("authorization").setValue(token))
        .build();
  }

  private Cluster adsCluster() {
    Cluster.Builder cluster =
        Cluster.newBuilder()
            .setName(ADS_CLUSTER)
            // DNS, so that the xDS tier can be named by host (a load balancer) as well as by IP.
            .setType(DiscoveryType.STRICT_DNS)
            .setConnectTimeout(Durations.fromSeconds(1))
            .setLoadAssignment(
                oneEndpoint(ADS_CLUSTER, address(settings.xdsHost(), settings.xdsPort())))
            .putTypedExtensionProtocolOptions(
                HTTP_OPTIONS,
                Any.pack(
                    HttpProtocolOptions.newBuilder()
                        .setExplicitHttpConfig(
                            HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
                                .setHttp2ProtocolOptions(Http2ProtocolOptions.getDefaultInstance()))
                        .build()))
            // The stream lives for hours: keepalives find a dead peer behind a silent NAT.
            .setUpstreamConnectionOptions(
                UpstreamConnectionOptions.newBuilder()
                    .setTcpKeepalive(
                        TcpKeepalive.newBuilder()
                            .setKeepaliveProbes(UInt32Value.of(3))
                            .setKeepaliveTime(UInt32Value.of(10))
                            .setKeepaliveInterval(UInt32Value.of(10))));
    if (settings.xdsCaPem() != null) {
      cluster.setTransportSocket(
          TransportSocket.newBuilder()
              .setName(TLS_SOCKET)
              .setTypedConfig(
                  Any.pack(
                      tlsContext()
                          .setCommonTlsContext(
                              CommonTlsContext.newBuilder()
                                  .setValidationContext(
                                      CertificateValidationContext.newBuilder()
                                          .setTrustedCa(
                                              DataSource.newBuilder()
                                                  .setInlineString(settings.xdsCaPem()))))
                          .build())));
    }
    return cluster.build();
  }

  /** SNI names a host; an IP literal is not allowed there (RFC 6066), so none is sent for one. */
  private UpstreamTlsContext.Builder tlsContext() {
    UpstreamTlsContext.Builder context = UpstreamTlsContext.newBuilder();
    if (!IP_LITERAL.matcher(settings.xdsHost()).matches()) {
      context.setSni(settings.xdsHost());
    }
    return context;
  }

  private static Struct struct(JsonNode object) {
    Struct.Builder struct = Struct.newBuilder();
    object
        .fields()
        .forEachRemaining(field -> struct.putFields(field.getKey(), value(field.getValue())));
    return struct.build();
  }

  private static Value value(JsonNode node) {
    if (node.isObject()) {
      return Value.newBuilder().setStructValue(struct(node)).build();
    }
    if (node.isArray()) {
      ListValue.Builder list = ListValue.newBuilder();
      node.forEach(item -> list.addValues(value(item)));
      return Value.newBuilder().setListValue(list).build();
    }
    if (node.isNumber()) {
      return Value.newBuilder().setNumberValue(node.asDouble()).build();
    }
    if (node.isBoolean()) {
      return Value.newBuilder().setBoolValue(node.asBoolean()).build();
    }
    if (node.isNull()) {
      return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
    }
    return text(node.asText());
  }

  /** A static cluster's load assignment: one endpoint at {@code address}. */
  private static ClusterLoadAssignment oneEndpoint(String clusterName, Address address) {
    return ClusterLoadAssignment.newBuilder()
        .setClusterName(clusterName)
        .addEndpoints(
            LocalityLbEndpoints.newBuilder()
                .addLbEndpoints(
                    LbEndpoint.newBuilder().setEndpoint(Endpoint.newBuilder().setAddress(address))))
        .build();
  }

  private static Address address(String host, int port) {
    return Address.newBuilder()
        .setSocketAddress(SocketAddress.newBuilder().setAddress(host).setPortValue(port))
        .build();
  }

  private static Value text(String value) {
    return Value.newBuilder().setStringValue(value).build();
  }
}

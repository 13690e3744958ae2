package dev.quma.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The spec of a Kuma {@code Dataplane} (Universal), field for field as Kuma 2.9 serialises it. Zero
 * values of optional ports are normalised to null so that they are omitted, as protobuf JSON does.
 *
 * <p>Helper methods deliberately avoid the {@code get}/{@code is} prefixes so that Jackson never
 * mistakes them for properties.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Dataplane(Networking networking, MetricsBackend metrics, Probes probes) {

  public static final String SERVICE_TAG = "kuma.io/service";
  public static final String PROTOCOL_TAG = "kuma.io/protocol";
  public static final String ZONE_TAG = "kuma.io/zone";
  public static final String DEFAULT_SERVICE_ADDRESS = "127.0.0.1";
  public static final String DEFAULT_OUTBOUND_ADDRESS = "127.0.0.1";

  /**
   * The {@code kuma.io/service} of the first inbound, or of the gateway; what Envoy's node cluster
   * is.
   */
  public Optional<String> serviceName() {
    if (networking == null) {
      return Optional.empty();
    }
    if (networking.gateway() != null) {
      return Optional.ofNullable(networking.gateway().tags().get(SERVICE_TAG));
    }
    return networking.inbound().stream()
        .map(i -> i.tags().get(SERVICE_TAG))
        .filter(s -> s != null)
        .findFirst();
  }

  /** Every tag of every inbound (or of the gateway), each key with the set of its values. */
  public SortedMap<String, java.util.SortedSet<String>> tags() {
    SortedMap<String, java.util.SortedSet<String>> all = new TreeMap<>();
    if (networking == null) {
      return all;
    }
    if (networking.gateway() != null) {
      networking
          .gateway()
          .tags()
          .forEach((k, v) -> all.computeIfAbsent(k, x -> new java.util.TreeSet<>()).add(v));
    }
    for (Inbound inbound : networking.inbound()) {
      inbound
          .tags()
          .forEach((k, v) -> all.computeIfAbsent(k, x -> new java.util.TreeSet<>()).add(v));
    }
    return all;
  }

  public boolean hasGateway() {
    return networking != null && networking.gateway() != null;
  }

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Networking(
      String address,
      String advertisedAddress,
      Gateway gateway,
      List<Inbound> inbound,
      List<Outbound> outbound,
      TransparentProxying transparentProxying,
      Admin admin) {
    public Networking {
      inbound = Maps.listCopy(inbound);
      outbound = Maps.listCopy(outbound);
    }
  }

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Inbound(
      Integer port,
      Integer servicePort,
      String serviceAddress,
      String address,
      SortedMap<String, String> tags,
      Health health,
      ServiceProbe serviceProbe,
      State state,
      String name) {
    public Inbound {
      servicePort = zeroToNull(servicePort);
      tags = Maps.sortedCopy(tags);
    }

    /** The port the application listens on: {@code servicePort}, or {@code port} when omitted. */
    public int effectiveServicePort() {
      return servicePort != null ? servicePort : port == null ? 0 : port;
    }

    public String effectiveServiceAddress() {
      return serviceAddress == null || serviceAddress.isEmpty()
          ? DEFAULT_SERVICE_ADDRESS
          : serviceAddress;
    }

    /** The listener address: the inbound's own, or the dataplane's {@code networking.address}. */
    public String effectiveAddress(String dataplaneAddress) {
      return address == null || address.isEmpty() ? dataplaneAddress : address;
    }

    /** Not ready inbounds are left out of other proxies' endpoints. */
    public boolean ready() {
      if (state != null) {
        return state == State.READY;
      }
      return health == null || health.ready();
    }

    public enum State {
      @JsonProperty("Ready")
      READY,
      @JsonProperty("NotReady")
      NOT_READY,
      @JsonProperty("Ignored")
      IGNORED
    }

    public record Health(boolean ready) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ServiceProbe(
        String interval,
        String timeout,
        Integer unhealthyThreshold,
        Integer healthyThreshold,
        Tcp tcp) {
      public record Tcp() {}
    }
  }

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Outbound(
      String address,
      Integer port,
      String service,
      SortedMap<String, String> tags,
      BackendRef backendRef) {
    public Outbound {
      tags = Maps.sortedCopy(tags);
    }

    public String effectiveAddress() {
      return address == null || address.isEmpty() ? DEFAULT_OUTBOUND_ADDRESS : address;
    }

    /**
     * The service this outbound reaches: its {@code kuma.io/service} tag, or the deprecated {@code
     * service}.
     */
    public Optional<String> serviceName() {
      String tagged = tags.get(SERVICE_TAG);
      return Optional.ofNullable(
          tagged != null ? tagged : service == null || service.isEmpty() ? null : service);
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record BackendRef(
        String kind,
        String name,
        Integer port,
        SortedMap<String, String> labels,
        String namespace) {
      public BackendRef {
        port = zeroToNull(port);
        labels = Maps.sortedCopy(labels);
      }
    }
  }

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Gateway(SortedMap<String, String> tags, Type type) {
    public Gateway {
      tags = Maps.sortedCopy(tags);
    }

    /** DELEGATED when absent, as in Kuma (it is the zero value of the enum). */
    public Type effectiveType() {
      return type == null ? Type.DELEGATED : type;
    }

    public enum Type {
      DELEGATED,
      BUILTIN
    }
  }

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record TransparentProxying(
      Integer redirectPortInbound,
      Integer redirectPortOutbound,
      List<String> directAccessServices,
      Integer redirectPortInboundV6,
      List<String> reachableServices,
      IpFamilyMode ipFamilyMode,
      ReachableBackends reachableBackends) {
    public TransparentProxying {
      redirectPortInbound = zeroToNull(redirectPortInbound);
      redirectPortOutbound = zeroToNull(redirectPortOutbound);
      redirectPortInboundV6 = zeroToNull(redirectPortInboundV6);
      directAccessServices = Maps.listCopy(directAccessServices);
      reachableServices = Maps.listCopy(reachableServices);
    }

    public enum IpFamilyMode {
      @JsonProperty("UnSpecified")
      UNSPECIFIED,
      @JsonProperty("DualStack")
      DUAL_STACK,
      @JsonProperty("IPv4")
      IPV4,
      @JsonProperty("IPv6")
      IPV6
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record ReachableBackends(List<Ref> refs) {
      public ReachableBackends {
        refs = Maps.listCopy(refs);
      }

      @JsonInclude(JsonInclude.Include.NON_EMPTY)
      public record Ref(
          String kind,
          String name,
          String namespace,
          Integer port,
          SortedMap<String, String> labels) {
        public Ref {
          port = zeroToNull(port);
          labels = Maps.sortedCopy(labels);
        }
      }
    }
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Admin(Integer port) {
    public Admin {
      port = zeroToNull(port);
    }
  }

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record MetricsBackend(String name, String type, Map<String, Object> conf) {
    public MetricsBackend {
      conf =
          conf == null
              ? Map.of()
              : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(conf));
    }
  }

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Probes(Integer port, List<Endpoint> endpoints) {
    public Probes {
      port = zeroToNull(port);
      endpoints = Maps.listCopy(endpoints);
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Endpoint(Integer inboundPort, String inboundPath, String path) {}
  }

  private static Integer zeroToNull(Integer value) {
    return value == null || value == 0 ? null : value;
  }
}

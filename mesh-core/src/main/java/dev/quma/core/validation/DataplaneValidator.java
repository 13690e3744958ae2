package dev.quma.core.validation;

import dev.quma.core.model.Dataplane;
import dev.quma.core.model.Dataplane.Gateway;
import dev.quma.core.model.Dataplane.Inbound;
import dev.quma.core.model.Dataplane.Networking;
import dev.quma.core.model.Dataplane.Outbound;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Kuma 2.9's Dataplane rules (pkg/core/resources/apis/mesh/dataplane_validator.go), with its field
 * paths and messages, plus three that Kuma leaves to Envoy to discover at runtime: two inbounds or
 * two outbounds may not share an address and port, and {@code kuma.io/zone} is reserved.
 */
public final class DataplaneValidator {
  private DataplaneValidator() {}

  static final String PORT_RANGE = "port must be in the range [1, 65535]";
  private static final String LOOPBACK = "127.0.0.1";
  private static final List<String> BACKEND_KINDS =
      List.of("MeshExternalService", "MeshMultiZoneService", "MeshService");
  private static final Pattern PROTO_DURATION = Pattern.compile("^-?\\d+(\\.\\d{1,9})?s$");

  public static void validate(Dataplane dataplane, Violations out) {
    FieldPath net = FieldPath.of("networking");
    Networking networking = dataplane.networking();
    if (networking == null) {
      out.add(net, "must be defined");
      return;
    }
    checkAdmin(net, networking, out);

    Gateway gateway = networking.gateway();
    if (gateway != null && gateway.effectiveType() == Gateway.Type.DELEGATED) {
      if (!networking.inbound().isEmpty()) {
        out.add(net.field("inbound"), "inbound cannot be defined for delegated gateways");
      }
      checkGateway(net.field("gateway"), gateway, out);
      checkNetworking(net, networking, out);
      checkProbes(dataplane.probes(), out);
    } else if (gateway != null) {
      if (!networking.inbound().isEmpty()) {
        out.add(net.field("inbound"), "inbound cannot be defined for builtin gateways");
      }
      if (!networking.outbound().isEmpty()) {
        out.add(net.field("outbound"), "outbound cannot be defined for builtin gateways");
      }
      if (dataplane.probes() != null) {
        out.add(net.field("probes"), "probes cannot be defined for builtin gateways");
      }
      checkGateway(net.field("gateway"), gateway, out);
      checkNetworking(net, networking, out);
    } else {
      if (networking.inbound().isEmpty()) {
        out.add(net, "has to contain at least one inbound interface or gateway");
      }
      checkNetworking(net, networking, out);
      checkProbes(dataplane.probes(), out);
      checkMetrics(dataplane.metrics(), out);
    }
  }

  private static void checkAdmin(FieldPath net, Networking networking, Violations out) {
    if (networking.admin() == null || networking.admin().port() == null) {
      return;
    }
    FieldPath path = net.field("admin").field("port");
    int port = networking.admin().port();
    if (!inPortRange(port)) {
      out.add(path, PORT_RANGE);
      return;
    }
    // Envoy's admin listens on loopback: it may not take a port that an inbound or outbound binds
    // there.
    for (Inbound inbound : networking.inbound()) {
      boolean listener =
          Objects.equals(inbound.port(), port)
              && overlaps(inbound.effectiveAddress(networking.address()));
      boolean workload =
          inbound.effectiveServicePort() == port && overlaps(inbound.effectiveServiceAddress());
      if (listener || workload) {
        out.add(path, "must differ from inbound");
        break;
      }
    }
    for (Outbound outbound : networking.outbound()) {
      if (Objects.equals(outbound.port(), port) && overlaps(outbound.effectiveAddress())) {
        out.add(path, "must differ from outbound");
        break;
      }
    }
  }

  private static boolean overlaps(String address) {
    return LOOPBACK.equals(address) || Addresses.isUnspecified(address);
  }

  private static void checkNetworking(FieldPath net, Networking networking, Violations out) {
    checkAddress(net.field("address"), networking.address(), out);
    String advertised = networking.advertisedAddress();
    if (advertised != null
        && !advertised.isEmpty()
        && (Addresses.isUnspecified(advertised)
            || !Addresses.isIp(advertised) && !Addresses.isDnsName(advertised))) {
      out.add(
          net.field("advertisedAddress"),
          "advertisedAddress has to be valid IP address or domain name");
    }

    Map<String, Integer> inboundListeners = new HashMap<>();
    for (int i = 0; i < networking.inbound().size(); i++) {
      Inbound inbound = networking.inbound().get(i);
      FieldPath path = net.field("inbound").index(i);
      checkInbound(path, inbound, networking.address(), out);
      if (!inbound.tags().containsKey(Dataplane.SERVICE_TAG)) {
        out.add(path.field("tags").key(Dataplane.SERVICE_TAG), "tag has to exist");
      }
      if (inbound.port() != null && inPortRange(inbound.port())) {
        String listener = inbound.effectiveAddress(networking.address()) + ":" + inbound.port();
        Integer first = inboundListeners.putIfAbsent(listener, i);
        if (first != null) {
          out.add(
              path.field("port"),
              "port " + inbound.port() + " is already used by networking.inbound[" + first + "]");
        }
      }
    }

    Map<String, Integer> outboundListeners = new HashMap<>();
    for (int i = 0; i < networking.outbound().size(); i++) {
      Outbound outbound = networking.outbound().get(i);
      FieldPath path = net.field("outbound").index(i);
      checkOutbound(path, outbound, out);
      if (outbound.port() != null && inPortRange(outbound.port())) {
        String listener = outbound.effectiveAddress() + ":" + outbound.port();
        Integer first = outboundListeners.putIfAbsent(listener, i);
        if (first != null) {
          out.add(
              path.field("port"),
              "port "
                  + outbound.port()
                  + " on "
                  + outbound.effectiveAddress()
                  + " is already used by networking.outbound["
                  + first
                  + "]");
        }
      }
    }
    checkTransparentProxying(
        net.field("transparentProxying"), networking.transparentProxying(), out);
  }

  private static void checkAddress(FieldPath path, String address, Violations out) {
    if (address == null || address.isEmpty()) {
      out.add(path, "address can't be empty");
      return;
    }
    if (Addresses.isUnspecified(address)) {
      out.add(path, "must not be 0.0.0.0 or ::");
    }
    if (!Addresses.isIp(address) && !Addresses.isDnsName(address)) {
      out.add(path, "address has to be valid IP address or domain name");
    }
  }

  private static void checkInbound(
      FieldPath path, Inbound inbound, String dataplaneAddress, Violations out) {
    if (inbound.port() == null || !inPortRange(inbound.port())) {
      out.add(path.field("port"), PORT_RANGE);
    }
    if (inbound.servicePort() != null && !inPortRange(inbound.servicePort())) {
      out.add(path.field("servicePort"), PORT_RANGE);
    }
    boolean sameServicePort =
        inbound.servicePort() == null || inbound.servicePort().equals(inbound.port());
    String serviceAddress = inbound.serviceAddress();
    if (serviceAddress != null && !serviceAddress.isEmpty()) {
      if (!Addresses.isIp(serviceAddress)) {
        out.add(path.field("serviceAddress"), "serviceAddress has to be valid IP address");
      }
      if (serviceAddress.equals(dataplaneAddress) && sameServicePort) {
        out.add(
            path.field("serviceAddress"),
            "serviceAddress and servicePort has to differ from address and port");
      }
    }
    String address = inbound.address();
    if (address != null && !address.isEmpty()) {
      if (!Addresses.isIp(address)) {
        out.add(path.field("address"), "address has to be valid IP address");
      }
      if (address.equals(serviceAddress) && sameServicePort) {
        out.add(
            path.field("serviceAddress"),
            "serviceAddress and servicePort has to differ from address and port");
      }
    }
    FieldPath tags = path.field("tags");
    TagRules.checkProtocol(tags, inbound.tags(), out);
    TagRules.check(tags, inbound.tags(), out);
    TagRules.forbidZone(tags, inbound.tags(), out);
    checkServiceProbe(path.field("serviceProbe"), inbound.serviceProbe(), out);
  }

  private static void checkServiceProbe(
      FieldPath path, Inbound.ServiceProbe probe, Violations out) {
    if (probe == null) {
      return;
    }
    checkDuration(path.field("interval"), probe.interval(), out);
    checkDuration(path.field("timeout"), probe.timeout(), out);
    if (probe.unhealthyThreshold() != null && probe.unhealthyThreshold() <= 0) {
      out.add(path.field("unhealthyThreshold"), "must have a positive value");
    }
    if (probe.healthyThreshold() != null && probe.healthyThreshold() <= 0) {
      out.add(path.field("healthyThreshold"), "must have a positive value");
    }
  }

  private static void checkDuration(FieldPath path, String duration, Violations out) {
    if (duration == null) {
      return;
    }
    if (!PROTO_DURATION.matcher(duration).matches()) {
      out.add(path, "must have a valid value");
    } else if (duration.startsWith("-")
        || Double.parseDouble(duration.substring(0, duration.length() - 1)) == 0) {
      out.add(path, "must have a positive value");
    }
  }

  private static void checkOutbound(FieldPath path, Outbound outbound, Violations out) {
    if (outbound.port() == null || !inPortRange(outbound.port())) {
      out.add(path.field("port"), PORT_RANGE);
    }
    if (outbound.address() != null
        && !outbound.address().isEmpty()
        && !Addresses.isIp(outbound.address())) {
      out.add(path.field("address"), "address has to be valid IP address");
    }
    Outbound.BackendRef ref = outbound.backendRef();
    boolean hasService = outbound.service() != null && !outbound.service().isEmpty();
    if (ref != null) {
      if (!isBackendKind(ref.kind())) {
        out.add(
            path.field("backendRef.kind"),
            "invalid value. Available values are: " + String.join(",", BACKEND_KINDS));
      }
      if ((ref.name() == null || ref.name().isEmpty()) && ref.labels().isEmpty()) {
        out.add(path.field("backendRef"), "either 'name' or 'labels' should be specified");
      }
      if (!"MeshExternalService".equals(ref.kind())
          && (ref.port() == null || !inPortRange(ref.port()))) {
        out.add(path.field("backendRef").field("port"), PORT_RANGE);
      }
      if (!outbound.tags().isEmpty() || hasService) {
        out.add(path.field("backendRef"), "both backendRef and tags/service cannot be defined");
      }
    } else if (outbound.tags().isEmpty()) {
      if (!hasService) {
        out.add(path.field("tags"), "mandatory tag \"" + Dataplane.SERVICE_TAG + "\" is missing");
      }
    } else {
      TagRules.check(path.field("tags"), outbound.tags(), out);
      TagRules.requireService(path.field("tags"), outbound.tags(), out);
    }
  }

  private static void checkGateway(FieldPath path, Gateway gateway, Violations out) {
    FieldPath tags = path.field("tags");
    String protocol = gateway.tags().get(Dataplane.PROTOCOL_TAG);
    if (protocol != null && !protocol.equals("tcp")) {
      out.add(
          tags.key(Dataplane.PROTOCOL_TAG),
          "other values than tcp are not allowed, provided value \"" + protocol + "\"");
    }
    TagRules.check(tags, gateway.tags(), out);
    TagRules.requireService(tags, gateway.tags(), out);
    TagRules.forbidZone(tags, gateway.tags(), out);
  }

  private static void checkTransparentProxying(
      FieldPath path, Dataplane.TransparentProxying tp, Violations out) {
    if (tp == null) {
      return;
    }
    checkOptionalPort(path.field("redirectPortInbound"), tp.redirectPortInbound(), out);
    checkOptionalPort(path.field("redirectPortOutbound"), tp.redirectPortOutbound(), out);
    checkOptionalPort(path.field("redirectPortInboundV6"), tp.redirectPortInboundV6(), out);
    if (tp.reachableBackends() == null) {
      return;
    }
    List<Dataplane.TransparentProxying.ReachableBackends.Ref> refs = tp.reachableBackends().refs();
    for (int i = 0; i < refs.size(); i++) {
      var ref = refs.get(i);
      FieldPath refPath = path.field("reachableBackends").field("refs").index(i);
      if (!isBackendKind(ref.kind())) {
        out.add(
            refPath.field("kind"),
            "invalid value. Available values are: " + String.join(",", BACKEND_KINDS));
      }
      boolean hasName = ref.name() != null && !ref.name().isEmpty();
      boolean hasNamespace = ref.namespace() != null && !ref.namespace().isEmpty();
      if (hasName && !MetaValidator.isIdentifier(ref.name())) {
        out.add(
            refPath.field("name"),
            "invalid characters. A lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
      }
      if (!hasName && !hasNamespace && ref.labels().isEmpty()) {
        out.add(refPath.field("name"), "name or labels are required");
      }
      if (!hasName && hasNamespace) {
        out.add(refPath.field("name"), "name is required, when namespace is defined");
      }
      if ((hasName || hasNamespace) && !ref.labels().isEmpty()) {
        out.add(refPath.field("labels"), "labels cannot be defined when name is specified");
      }
    }
  }

  private static void checkProbes(Dataplane.Probes probes, Violations out) {
    if (probes == null) {
      return;
    }
    FieldPath path = FieldPath.of("probes");
    if (probes.port() == null || !inPortRange(probes.port())) {
      out.add(path.field("port"), PORT_RANGE);
    }
    for (int i = 0; i < probes.endpoints().size(); i++) {
      Dataplane.Probes.Endpoint endpoint = probes.endpoints().get(i);
      FieldPath at = path.field("endpoints").index(i);
      if (endpoint.inboundPort() == null || !inPortRange(endpoint.inboundPort())) {
        out.add(at.field("inboundPort"), PORT_RANGE);
      }
      if (!isUrlPath(endpoint.inboundPath())) {
        out.add(at.field("inboundPath"), "should be a valid URL Path");
      }
      if (!isUrlPath(endpoint.path())) {
        out.add(at.field("path"), "should be a valid URL Path");
      }
    }
  }

  private static void checkMetrics(Dataplane.MetricsBackend metrics, Violations out) {
    if (metrics != null && !"prometheus".equals(metrics.type())) {
      out.add(
          FieldPath.of("metrics").field("type"),
          "unknown backend type. Available backends: \"prometheus\"");
    }
  }

  private static void checkOptionalPort(FieldPath path, Integer port, Violations out) {
    if (port != null && !inPortRange(port)) {
      out.add(path, PORT_RANGE);
    }
  }

  /** Like Go's url.ParseRequestURI: an absolute path or an absolute URI. */
  private static boolean isUrlPath(String value) {
    if (value == null || value.isEmpty()) {
      return false;
    }
    try {
      URI uri = new URI(value);
      return value.startsWith("/") || uri.isAbsolute();
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /** {@code List.of(...).contains(null)} throws: a missing kind is simply not one of them. */
  private static boolean isBackendKind(String kind) {
    return kind != null && BACKEND_KINDS.contains(kind);
  }

  static boolean inPortRange(int port) {
    return port >= 1 && port <= 65535;
  }
}

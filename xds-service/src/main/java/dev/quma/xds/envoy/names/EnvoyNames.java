package dev.quma.xds.envoy.names;

import dev.quma.core.model.Dataplane;
import java.util.Map;
import java.util.SortedMap;
import java.util.StringJoiner;

/** Every name of a generated Envoy resource, as Kuma names them; never concatenated elsewhere. */
public final class EnvoyNames {
  private EnvoyNames() {}

  /** The listener that serves the proxy's Prometheus metrics (Kuma's name). */
  public static final String METRICS_LISTENER = "kuma:metrics:prometheus";

  /** The cluster of the proxy's own Envoy admin, on loopback (Kuma's name). */
  public static final String ADMIN_CLUSTER = "kuma:envoy:admin";

  public static String inboundListener(String address, int port) {
    return "inbound:" + hostPort(address, port);
  }

  /** The cluster of the application next to the proxy. */
  public static String localCluster(int servicePort) {
    return "localhost:" + servicePort;
  }

  public static String outboundListener(String address, int port) {
    return "outbound:" + hostPort(address, port);
  }

  /**
   * {@code address:port}, with an IPv6 address in brackets ({@code [fd00::10]:9000}), as Kuma joins
   * them (Go's {@code net.JoinHostPort}: brackets whenever the host holds a colon).
   */
  public static String hostPort(String address, int port) {
    return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
  }

  /**
   * Cluster and load assignment of an outbound target (its tags, among them {@code
   * kuma.io/service}): the service's name, followed by the other tags in braces when the outbound
   * selects a subset ({@code redis{version=v2}}).
   */
  public static String outboundCluster(SortedMap<String, String> targetTags) {
    String service = targetTags.get(Dataplane.SERVICE_TAG);
    if (targetTags.size() == 1) {
      return service;
    }
    StringJoiner subset = new StringJoiner(",", service + "{", "}");
    for (Map.Entry<String, String> tag : targetTags.entrySet()) {
      if (!tag.getKey().equals(Dataplane.SERVICE_TAG)) {
        subset.add(tag.getKey() + "=" + tag.getValue());
      }
    }
    return subset.toString();
  }

  public static String inboundRoute(String service) {
    return "inbound:" + service;
  }

  public static String outboundRoute(String cluster) {
    return "outbound:" + cluster;
  }

  /** A name usable in Envoy stats: everything but letters, digits and '_' becomes '_'. */
  public static String stat(String name) {
    StringBuilder out = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      out.append(Character.isLetterOrDigit(c) || c == '_' ? c : '_');
    }
    return out.toString();
  }
}

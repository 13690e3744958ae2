package dev.quma.xds.envoy;

import dev.quma.core.model.Dataplane;
import dev.quma.xds.generate.OutboundTarget;
import java.util.Map;
import java.util.StringJoiner;

/** Every name of a generated Envoy resource, as Kuma names them; never concatenated elsewhere. */
public final class EnvoyNames {
  private EnvoyNames() {}

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
  static String hostPort(String address, int port) {
    return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
  }

  /**
   * Cluster and load assignment of an outbound target: the service's name, followed by the other
   * tags in braces when the outbound selects a subset ({@code redis{version=v2}}).
   */
  public static String outboundCluster(OutboundTarget target) {
    if (target.tags().size() == 1) {
      return target.service();
    }
    StringJoiner subset = new StringJoiner(",", target.service() + "{", "}");
    for (Map.Entry<String, String> tag : target.tags().entrySet()) {
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

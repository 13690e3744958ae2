package dev.quma.http.auth;

import dev.quma.http.edge.HostHeader;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * When a request without credentials counts as "localhost", which Kuma's {@code localhost-is-admin}
 * makes an admin. All three must hold:
 *
 * <ul>
 *   <li>the TCP peer is a loopback address;
 *   <li>the request carries no header that a proxy adds: a proxy on the same host would make every
 *       one of its clients local;
 *   <li>the {@code Host} names a loopback host ({@code localhost}, {@code 127.0.0.1}, {@code
 *       [::1]}, any port): a browser tricked by DNS rebinding into calling the local API sends the
 *       attacker's host name there.
 * </ul>
 */
public final class LocalhostAdmin {
  private LocalhostAdmin() {}

  /** Headers that say the request was relayed; any prefix ending in '-' covers a family. */
  static final List<String> PROXY_HEADERS =
      List.of(
          "forwarded",
          "x-forwarded-",
          "x-real-ip",
          "x-client-ip",
          "true-client-ip",
          "cf-connecting-ip",
          "via",
          "x-original-forwarded-for",
          "x-cluster-client-ip",
          "fastly-client-ip",
          "x-envoy-external-address");

  private static final List<String> LOOPBACK_HOSTS = List.of("localhost", "127.0.0.1", "[::1]");

  public static boolean admits(HttpServerRequest request) {
    return isLoopbackPeer(request.remoteAddress())
        && proxyHeader(request.headers()) == null
        && isLoopbackHost(HostHeader.of(request));
  }

  /** The first header that says the request came through a proxy, or null. */
  static String proxyHeader(MultiMap headers) {
    for (Map.Entry<String, String> header : headers) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      for (String proxy : PROXY_HEADERS) {
        if (proxy.endsWith("-") ? name.startsWith(proxy) : name.equals(proxy)) {
          return header.getKey();
        }
      }
    }
    return null;
  }

  /** A loopback host with any port (or none); false for null (no or several Host headers). */
  static boolean isLoopbackHost(String requested) {
    if (requested == null) {
      return false;
    }
    String host = requested.toLowerCase(Locale.ROOT);
    int portStart = host.startsWith("[") ? host.indexOf("]:") + 1 : host.indexOf(':');
    if (portStart > 0) {
      String port = host.substring(portStart + 1);
      if (port.isEmpty() || !port.chars().allMatch(Character::isDigit)) {
        return false;
      }
      host = host.substring(0, portStart);
    }
    return LOOPBACK_HOSTS.contains(host);
  }

  static boolean isLoopbackPeer(SocketAddress remote) {
    if (remote == null || remote.hostAddress() == null) {
      return false;
    }
    String address = remote.hostAddress();
    // Only IP literals: a name here would mean a lookup, and the peer is always an address.
    if (!address.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
      return false;
    }
    try {
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}

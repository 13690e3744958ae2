package dev.quma.http.auth;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Whether a browser's {@code Origin} names the server the request was sent to (its {@code Host}). A
 * state-changing request from a page of another origin is cross-site request forgery unless proven
 * otherwise, so it is refused whatever credentials it carries.
 */
public final class SameOrigin {
  private SameOrigin() {}

  /** True when {@code origin} ({@code scheme://host[:port]}) names {@code host}. */
  public static boolean matches(String origin, String host) {
    if (origin == null || host == null || host.isBlank()) {
      return false;
    }
    URI uri;
    try {
      uri = new URI(origin.trim());
    } catch (URISyntaxException e) {
      return false;
    }
    String scheme = uri.getScheme();
    if (uri.getHost() == null
        || scheme == null
        || uri.getRawPath() != null && !uri.getRawPath().isEmpty()
        || uri.getRawQuery() != null
        || uri.getRawUserInfo() != null) {
      return false;
    }
    int defaultPort =
        switch (scheme.toLowerCase(Locale.ROOT)) {
          case "http" -> 80;
          case "https" -> 443;
          default -> -1;
        };
    if (defaultPort < 0) {
      return false;
    }
    int port = uri.getPort() < 0 ? defaultPort : uri.getPort();
    return authority(uri.getHost(), port).equals(normalisedHost(host.trim(), defaultPort));
  }

  private static String normalisedHost(String host, int defaultPort) {
    String name = host;
    int port = defaultPort;
    int colon = host.startsWith("[") ? host.indexOf("]:") + 1 : host.lastIndexOf(':');
    if (colon > 0) {
      name = host.substring(0, colon);
      try {
        port = Integer.parseInt(host.substring(colon + 1));
      } catch (NumberFormatException e) {
        return "";
      }
    }
    return authority(name, port);
  }

  private static String authority(String name, int port) {
    return name.toLowerCase(Locale.ROOT) + ":" + port;
  }
}

package dev.quma.http.edge;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.HostAndPort;
import java.util.List;

/**
 * The host a request was sent to, as the client named it: the one {@code Host} header of HTTP/1.x,
 * or HTTP/2's {@code :authority} (which also carries an upgraded {@code h2c} request's {@code
 * Host}).
 */
public final class HostHeader {
  private HostHeader() {}

  /** {@code host[:port]} as sent; null when there is none, or more than one. */
  public static String of(HttpServerRequest request) {
    if (request.version() == HttpVersion.HTTP_2) {
      HostAndPort authority = request.authority();
      if (authority == null) {
        return null;
      }
      String host = authority.host();
      if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
        host = "[" + host + "]";
      }
      return authority.port() < 0 ? host : host + ":" + authority.port();
    }
    List<String> hosts = request.headers().getAll("Host");
    return hosts.size() == 1 ? hosts.get(0).trim() : null;
  }
}

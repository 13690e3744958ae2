package dev.quma.envoysim;

import com.google.protobuf.util.Durations;
import io.envoyproxy.envoy.config.core.v3.HealthCheck;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One active health check, as Envoy runs it: a TCP check passes when the connection opens within
 * the timeout; an HTTP check when {@code GET path} answers 200 within it. Blocking: callers run it
 * off their timer thread.
 */
final class HealthProbe {
  private static final long DEFAULT_TIMEOUT_MS = 1000;

  private HealthProbe() {}

  static String address(Endpoint endpoint) {
    SocketAddress socket = endpoint.getAddress().getSocketAddress();
    return socket.getAddress() + ":" + socket.getPortValue();
  }

  static boolean passes(Endpoint endpoint, HealthCheck rule) {
    SocketAddress target = endpoint.getAddress().getSocketAddress();
    int timeout =
        (int)
            Math.max(
                1, rule.hasTimeout() ? Durations.toMillis(rule.getTimeout()) : DEFAULT_TIMEOUT_MS);
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(target.getAddress(), target.getPortValue()), timeout);
      if (!rule.hasHttpHealthCheck()) {
        return true; // TCP (or a checker the stand-in does not know): the connect is the check
      }
      socket.setSoTimeout(timeout);
      HealthCheck.HttpHealthCheck http = rule.getHttpHealthCheck();
      String host = http.getHost().isEmpty() ? target.getAddress() : http.getHost();
      String path = http.getPath().isEmpty() ? "/" : http.getPath();
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      return statusLine(socket.getInputStream()).matches("HTTP/1\\.[01] 200 .*");
    } catch (IOException e) {
      return false;
    }
  }

  private static String statusLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != -1 && c != '\n' && line.length() < 200) {
      line.append((char) c);
    }
    return line.toString().strip() + " ";
  }
}

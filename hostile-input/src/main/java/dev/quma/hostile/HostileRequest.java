package dev.quma.hostile;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One generated request: the service it is for, the bytes to send, and what the generator knows
 * about it independently of the service's code: whether it carries admin rights.
 *
 * @param admin true when the request carries admin credentials: an admin user token, or (with
 *     localhost-is-admin) none at all from a loopback peer naming a loopback host without proxy
 *     headers
 * @param recipe how it was made, for the report (e.g. "PUT dataplane + deep nesting + X-Real-IP")
 */
public record HostileRequest(
    Service service,
    String method,
    String target,
    List<Map.Entry<String, String>> headers,
    byte[] body,
    boolean admin,
    String recipe) {

  public enum Service {
    API,
    TOKENS,
    BOOTSTRAP
  }

  public boolean stateChanging() {
    return !List.of("GET", "HEAD", "OPTIONS").contains(method.toUpperCase(Locale.ROOT));
  }

  /** A short printable form for reports: request line, headers, the body's first 300 bytes. */
  public String describe() {
    StringBuilder out = new StringBuilder();
    out.append(method).append(' ').append(printable(target, 300));
    for (Map.Entry<String, String> header : headers) {
      out.append("\n  ")
          .append(printable(header.getKey(), 80))
          .append(": ")
          .append(printable(header.getValue(), 120));
    }
    if (body != null) {
      out.append("\n  body (")
          .append(body.length)
          .append(" bytes): ")
          .append(printable(new String(body, StandardCharsets.UTF_8), 300));
    }
    return out.toString();
  }

  static String printable(String text, int max) {
    String shown = text.length() > max ? text.substring(0, max) + "..." : text;
    StringBuilder out = new StringBuilder();
    for (char c : shown.toCharArray()) {
      if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\x%02x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}

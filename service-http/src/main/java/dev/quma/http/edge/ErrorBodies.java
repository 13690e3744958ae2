package dev.quma.http.edge;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quma.http.errors.KumaError;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;

/** Kuma's error body for the filters that answer before routing (no JAX-RS mapper runs there). */
public final class ErrorBodies {
  private ErrorBodies() {}

  /**
   * The edge's own filters (syntax, cross-origin writes) come first, before Quarkus' CORS filter
   * (which runs just below this priority): what they refuse goes no further, with a body saying
   * why. Their order among themselves does not matter; each refuses on its own.
   */
  public static final int EDGE_FILTERS = Integer.MAX_VALUE;

  private static final ObjectMapper JSON = new ObjectMapper();

  public static void send(HttpServerResponse response, int status, String title, String detail) {
    String body;
    try {
      body = JSON.writeValueAsString(KumaError.of(status, title, detail, List.of(), null));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    response.setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
  }

  /** At most 100 characters of {@code text}, control characters escaped, for a message. */
  public static String printable(String text) {
    String shown = text.length() > 100 ? text.substring(0, 100) + "..." : text;
    StringBuilder out = new StringBuilder(shown.length());
    shown
        .chars()
        .forEach(
            c -> {
              if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\x%02x", c));
              } else {
                out.append((char) c);
              }
            });
    return out.toString();
  }
}

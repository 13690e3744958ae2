package dev.quma.core.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.http.HttpServerResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Kuma's error body ({@code type}, {@code status}, {@code title}, {@code detail} and its old name
 * {@code details}) for what every service refuses before routing, health-only ones included; the
 * REST services' own edge (service-http) adds the fields that only it fills.
 */
final class EdgeAnswer {
  private static final ObjectMapper JSON = new ObjectMapper();

  private EdgeAnswer() {}

  static void send(HttpServerResponse response, int status, String title, String detail) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "/std-errors");
    body.put("status", status);
    body.put("title", title);
    body.put("detail", detail);
    body.put("details", detail);
    String text;
    try {
      text = JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    response.setStatusCode(status).putHeader("Content-Type", "application/json").end(text);
  }
}

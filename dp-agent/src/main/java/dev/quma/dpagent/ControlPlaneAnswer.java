package dev.quma.dpagent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads what a refusing control plane said: Kuma's error body, or plain text. */
public final class ControlPlaneAnswer {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ControlPlaneAnswer() {}

  /** A one-paragraph message: the detail, then each field with its reason. */
  public static String message(int status, String body) {
    if (body == null || body.isBlank()) {
      return "HTTP " + status;
    }
    try {
      JsonNode error = JSON.readTree(body);
      if (error != null && error.isObject() && error.has("detail")) {
        StringBuilder text = new StringBuilder(error.get("detail").asText());
        JsonNode parameters = error.get("invalid_parameters");
        if (parameters != null && parameters.isArray()) {
          for (JsonNode parameter : parameters) {
            text.append("\n  ")
                .append(parameter.path("field").asText())
                .append(": ")
                .append(parameter.path("reason").asText());
          }
        }
        return text.toString();
      }
    } catch (java.io.IOException e) {
      // not JSON: shown as it is
    }
    return body.strip();
  }
}

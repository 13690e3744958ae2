package dev.quma.api.rest;

import dev.quma.core.codec.Format;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.Locale;

/** Which format a request body is in, and which one the caller wants back. */
public final class Formats {
  private Formats() {}

  public static final MediaType YAML = new MediaType("application", "yaml");

  /**
   * JSON when the body says so; otherwise YAML, which also reads JSON, so that {@code curl
   * --data-binary @dp.yaml} works without a Content-Type.
   */
  public static Format ofBody(HttpHeaders headers) {
    MediaType type = headers.getMediaType();
    if (type != null && type.getSubtype().toLowerCase(Locale.ROOT).endsWith("json")) {
      return Format.JSON;
    }
    return Format.YAML;
  }

  public static Format wanted(HttpHeaders headers) {
    for (MediaType accepted : headers.getAcceptableMediaTypes()) {
      if (accepted.getSubtype().toLowerCase(Locale.ROOT).contains("yaml")) {
        return Format.YAML;
      }
      if (accepted.getSubtype().toLowerCase(Locale.ROOT).contains("json")) {
        return Format.JSON;
      }
    }
    return Format.JSON;
  }

  public static MediaType mediaType(Format format) {
    return format == Format.YAML ? YAML : MediaType.APPLICATION_JSON_TYPE;
  }
}

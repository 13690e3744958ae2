package dev.quma.xds.envoy;

import java.util.Locale;

/** The protocols of {@code kuma.io/protocol}; anything else (or nothing) is TCP. */
public enum Protocol {
  TCP,
  HTTP,
  HTTP2,
  GRPC,
  KAFKA;

  public static Protocol of(String tagValue) {
    if (tagValue == null) {
      return TCP;
    }
    return switch (tagValue.toLowerCase(Locale.ROOT)) {
      case "http" -> HTTP;
      case "http2" -> HTTP2;
      case "grpc" -> GRPC;
      case "kafka" -> KAFKA;
      default -> TCP;
    };
  }

  /** Served by an HTTP connection manager rather than a TCP proxy. */
  public boolean http() {
    return this == HTTP || this == HTTP2 || this == GRPC;
  }

  /** Its upstreams speak HTTP/2. */
  public boolean http2() {
    return this == HTTP2 || this == GRPC;
  }
}

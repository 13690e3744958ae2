package dev.quma.core.runtime;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Settings read before Quarkus starts (from a service's main method), by their property name or its
 * environment form, the way Quarkus would: a system property first, then the environment variable
 * ({@code quma.tls.dir} -> {@code QUMA_TLS_DIR}).
 */
public final class EarlyConfig {
  private EarlyConfig() {}

  public static String get(String property, String fallback) {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      value = System.getenv(property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"));
    }
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  /** The first of several names that is set (for aliases such as Kuma's environment names). */
  public static String first(String fallback, String... properties) {
    for (String property : properties) {
      String value = get(property, null);
      if (value != null) {
        return value;
      }
    }
    return fallback;
  }

  public static boolean flag(String property) {
    return Boolean.parseBoolean(get(property, "false"));
  }

  public static List<String> list(String property, List<String> fallback) {
    String value = get(property, null);
    if (value == null) {
      return fallback;
    }
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}

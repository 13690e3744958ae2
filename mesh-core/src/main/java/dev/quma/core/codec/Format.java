package dev.quma.core.codec;

import java.util.Locale;

/** The two wire formats of resources. */
public enum Format {
  JSON,
  YAML;

  /**
   * YAML for {@code application/yaml}, {@code application/x-yaml} and {@code text/yaml}; JSON
   * otherwise.
   */
  public static Format ofMediaType(String mediaType) {
    if (mediaType == null) {
      return JSON;
    }
    String type = mediaType.toLowerCase(Locale.ROOT);
    return type.contains("yaml") ? YAML : JSON;
  }
}

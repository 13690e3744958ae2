package dev.quma.core.tokens;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Kuma's format of a revocation list (pkg/core/tokens/revocations.go): the ids of revoked tokens,
 * separated by commas, optionally ending with a newline.
 */
final class RevocationList {
  private RevocationList() {}

  static Set<String> parse(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    if (text.endsWith("\n")) {
      text = text.substring(0, text.length() - 1);
    }
    Set<String> ids = new LinkedHashSet<>();
    for (String id : text.split(",")) {
      String trimmed = id.trim();
      if (!trimmed.isEmpty()) {
        ids.add(trimmed);
      }
    }
    return ids;
  }

  static byte[] format(Collection<String> ids) {
    return String.join(",", ids).getBytes(StandardCharsets.UTF_8);
  }
}

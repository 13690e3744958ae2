package dev.quma.core.tokens;

import java.util.OptionalInt;

/**
 * Kuma's names for what dataplane tokens keep in a mesh (pkg/tokens/builtin/issuer): signing keys
 * are the mesh's Secrets {@code dataplane-token-signing-key-{mesh}-{serial}}, and revoked token ids
 * are the Secret {@code dataplane-token-revocations-{mesh}}.
 */
public final class DataplaneTokenNames {
  private DataplaneTokenNames() {}

  /** Kuma's serial number of the first key of a mesh. */
  public static final int FIRST_SERIAL = 1;

  public static String signingKeyPrefix(String mesh) {
    return "dataplane-token-signing-key-" + mesh;
  }

  public static String signingKey(String mesh, int serial) {
    return signingKeyPrefix(mesh) + "-" + serial;
  }

  public static String revocations(String mesh) {
    return "dataplane-token-revocations-" + mesh;
  }

  /** True when the secret {@code secretName} is part of what decides which tokens are valid. */
  public static boolean isTokenState(String mesh, String secretName) {
    return secretName != null
        && (secretName.equals(revocations(mesh)) || serialOf(mesh, secretName).isPresent());
  }

  /**
   * The serial number of a signing key secret of {@code mesh}, or empty when {@code secretName} is
   * no such secret. Kuma's unnumbered legacy key (serial 0, HS256 era) is not one: its tokens are
   * refused anyway.
   */
  public static OptionalInt serialOf(String mesh, String secretName) {
    String prefix = signingKeyPrefix(mesh) + "-";
    if (!secretName.startsWith(prefix)) {
      return OptionalInt.empty();
    }
    return parseSerial(secretName.substring(prefix.length()));
  }

  /** A positive decimal serial (as a {@code kid} header carries it), or empty. */
  public static OptionalInt parseSerial(String text) {
    if (text == null || text.isEmpty() || text.length() > 9) {
      return OptionalInt.empty();
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return OptionalInt.empty();
      }
    }
    if (text.charAt(0) == '0') {
      return OptionalInt.empty();
    }
    return OptionalInt.of(Integer.parseInt(text));
  }
}

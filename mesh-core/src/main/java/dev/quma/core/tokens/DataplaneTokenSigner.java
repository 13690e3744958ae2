package dev.quma.core.tokens;

import dev.quma.core.jwt.Rs256Jwt;
import java.security.PrivateKey;

/**
 * Signs dataplane token claims as Kuma does: RS256, header {@code alg}, {@code kid} (the key's
 * serial) and {@code typ: JWT}, through the control plane's JWT stack ({@link Rs256Jwt}). This is
 * CPU work (an RSA private-key operation, about a millisecond): callers on an event loop run it on
 * a worker thread.
 */
public final class DataplaneTokenSigner {
  private DataplaneTokenSigner() {}

  public static String sign(DataplaneTokenClaims claims, int keySerial, PrivateKey key) {
    return Rs256Jwt.sign(claims.toClaims(), Integer.toString(keySerial), key);
  }
}

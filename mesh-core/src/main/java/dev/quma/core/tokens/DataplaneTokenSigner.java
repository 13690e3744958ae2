package dev.quma.core.tokens;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;

/**
 * Signs dataplane token claims as Kuma does: RS256, header {@code {"alg":"RS256","kid":"<serial>",
 * "typ":"JWT"}}. This is CPU work (an RSA private-key operation, about a millisecond): callers on
 * an event loop run it on a worker thread.
 */
public final class DataplaneTokenSigner {
  private DataplaneTokenSigner() {}

  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
  private static final ThreadLocal<Signature> SIGNATURES =
      ThreadLocal.withInitial(() -> RsaSignatures.newInstance());

  public static String sign(DataplaneTokenClaims claims, int keySerial, PrivateKey key) {
    String header =
        BASE64URL.encodeToString(
            ("{\"alg\":\"RS256\",\"kid\":\"" + keySerial + "\",\"typ\":\"JWT\"}")
                .getBytes(StandardCharsets.US_ASCII));
    String signingInput = header + "." + BASE64URL.encodeToString(claims.toJson());
    try {
      Signature signature = SIGNATURES.get();
      signature.initSign(key);
      signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + BASE64URL.encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not sign a dataplane token", e);
    }
  }
}

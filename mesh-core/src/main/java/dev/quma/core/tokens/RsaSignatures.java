package dev.quma.core.tokens;

import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;

/** SHA256withRSA (RS256), one {@link Signature} per thread: instances are not thread-safe. */
final class RsaSignatures {
  private RsaSignatures() {}

  private static final ThreadLocal<Signature> VERIFIERS =
      ThreadLocal.withInitial(RsaSignatures::newInstance);

  static Signature newInstance() {
    try {
      return Signature.getInstance("SHA256withRSA");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no SHA256withRSA", e);
    }
  }

  static boolean verify(RSAPublicKey key, byte[] signingInput, byte[] signature) {
    try {
      Signature verifier = VERIFIERS.get();
      verifier.initVerify(key);
      verifier.update(signingInput);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}

package dev.quma.core.tokens;

import dev.quma.core.auth.PemKeys;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Optional;

/**
 * The data of a signing key secret, in one of two forms.
 *
 * <ul>
 *   <li>Kuma's: the private key as PKCS#1 PEM ({@code RSA PRIVATE KEY}); PKCS#8 is read too. Keys
 *       made by Kuma's tools work as they are.
 *   <li>Encrypted at rest (when an encryption key is configured): the public key as PEM, then
 *       {@code QUMA ENCRYPTED RSA PRIVATE KEY} holding the sealed PKCS#1 PEM. Verifiers need only
 *       the public part, so the encryption key stays with the token-service.
 * </ul>
 */
public final class SigningKeyData {
  private SigningKeyData() {}

  static final String ENCRYPTED_LABEL = "QUMA ENCRYPTED RSA PRIVATE KEY";
  private static final String ENCRYPTED_BEGIN = "-----BEGIN " + ENCRYPTED_LABEL + "-----";
  private static final String ENCRYPTED_END = "-----END " + ENCRYPTED_LABEL + "-----";
  private static final String PUBLIC_END = "-----END PUBLIC KEY-----";

  /** The bytes to store for {@code key} in the secret {@code secretName}. */
  public static byte[] encode(
      RSAPrivateCrtKey key, String secretName, Optional<KeyEncryption> encryption) {
    String pkcs1 = PemKeys.toPkcs1Pem(key);
    if (encryption.isEmpty()) {
      return pkcs1.getBytes(StandardCharsets.US_ASCII);
    }
    byte[] sealed = encryption.get().seal(pkcs1.getBytes(StandardCharsets.US_ASCII), secretName);
    String text =
        PemKeys.toPublicPem(PemKeys.publicKeyOf(key))
            + ENCRYPTED_BEGIN
            + "\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(sealed)
            + "\n"
            + ENCRYPTED_END
            + "\n";
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  public static boolean encrypted(byte[] data) {
    return text(data).contains(ENCRYPTED_BEGIN);
  }

  /** The public key, from either form; {@link IllegalArgumentException} if it is neither. */
  public static RSAPublicKey publicKey(byte[] data) {
    String text = text(data);
    if (text.contains(ENCRYPTED_BEGIN)) {
      int end = text.indexOf(PUBLIC_END);
      if (end < 0) {
        throw new IllegalArgumentException("an encrypted signing key without its public key");
      }
      return PemKeys.parsePublicKey(text.substring(0, end + PUBLIC_END.length()));
    }
    return PemKeys.publicKeyOf(PemKeys.parsePrivateKey(text));
  }

  /** The private key, decrypting it when it is stored encrypted. */
  public static RSAPrivateCrtKey privateKey(
      byte[] data, String secretName, Optional<KeyEncryption> encryption) {
    String text = text(data);
    if (!text.contains(ENCRYPTED_BEGIN)) {
      try {
        return PemKeys.parsePrivateKey(text);
      } catch (IllegalArgumentException e) {
        throw new SigningKeyUnavailableException(
            "signing key " + secretName + " is not a PEM encoded RSA private key");
      }
    }
    if (encryption.isEmpty()) {
      throw new SigningKeyUnavailableException(
          "signing key "
              + secretName
              + " is encrypted, and no encryption key is configured"
              + " (QUMA_TOKENS_SIGNING_KEY_ENCRYPTION_KEY)");
    }
    int begin = text.indexOf(ENCRYPTED_BEGIN) + ENCRYPTED_BEGIN.length();
    int end = text.indexOf(ENCRYPTED_END);
    if (end < begin) {
      throw new SigningKeyUnavailableException("signing key " + secretName + " is truncated");
    }
    byte[] sealed = Base64.getMimeDecoder().decode(text.substring(begin, end));
    byte[] pkcs1 = encryption.get().open(sealed, secretName);
    return PemKeys.parsePrivateKey(new String(pkcs1, StandardCharsets.US_ASCII));
  }

  private static String text(byte[] data) {
    return new String(data, StandardCharsets.US_ASCII);
  }
}

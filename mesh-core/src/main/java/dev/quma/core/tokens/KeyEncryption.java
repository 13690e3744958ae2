package dev.quma.core.tokens;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts signing keys at rest with AES-256-GCM under a key from configuration. The secret's name
 * is the associated data, so an encrypted key cannot be passed off as another mesh's or serial's.
 * Sealed form: version byte {@code 1}, 8 bytes of the key's fingerprint, 12 bytes of nonce, then
 * ciphertext and tag.
 */
public final class KeyEncryption {
  private static final byte VERSION = 1;
  private static final int FINGERPRINT_BYTES = 8;
  private static final int NONCE_BYTES = 12;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;
  private final byte[] fingerprint;

  private KeyEncryption(byte[] key) {
    this.key = new SecretKeySpec(key, "AES");
    this.fingerprint = fingerprintOf(key);
  }

  /** A key given as base64 of 32 random bytes (e.g. {@code openssl rand -base64 32}). */
  public static KeyEncryption fromBase64(String base64) {
    byte[] key;
    try {
      key = Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the signing key encryption key is not base64");
    }
    if (key.length != 32) {
      throw new IllegalArgumentException(
          "the signing key encryption key must be 32 bytes (AES-256), base64 encoded; it has "
              + key.length);
    }
    return new KeyEncryption(key);
  }

  /** Identifies the key without revealing it, in errors and in each sealed value. */
  public String fingerprint() {
    return HexFormat.of().formatHex(fingerprint);
  }

  byte[] seal(byte[] plaintext, String associatedData) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    byte[] ciphertext = cipher(Cipher.ENCRYPT_MODE, nonce, associatedData, plaintext);
    byte[] out = new byte[1 + FINGERPRINT_BYTES + NONCE_BYTES + ciphertext.length];
    out[0] = VERSION;
    System.arraycopy(fingerprint, 0, out, 1, FINGERPRINT_BYTES);
    System.arraycopy(nonce, 0, out, 1 + FINGERPRINT_BYTES, NONCE_BYTES);
    System.arraycopy(ciphertext, 0, out, 1 + FINGERPRINT_BYTES + NONCE_BYTES, ciphertext.length);
    return out;
  }

  byte[] open(byte[] sealed, String associatedData) {
    int header = 1 + FINGERPRINT_BYTES + NONCE_BYTES;
    if (sealed.length <= header || sealed[0] != VERSION) {
      throw new SigningKeyUnavailableException(
          "signing key " + associatedData + " is not in a known encrypted format");
    }
    byte[] sealedWith = Arrays.copyOfRange(sealed, 1, 1 + FINGERPRINT_BYTES);
    if (!MessageDigest.isEqual(sealedWith, fingerprint)) {
      throw new SigningKeyUnavailableException(
          "signing key "
              + associatedData
              + " was encrypted with the key of fingerprint "
              + HexFormat.of().formatHex(sealedWith)
              + ", but the configured one has fingerprint "
              + fingerprint());
    }
    byte[] nonce = Arrays.copyOfRange(sealed, 1 + FINGERPRINT_BYTES, header);
    return cipher(
        Cipher.DECRYPT_MODE,
        nonce,
        associatedData,
        Arrays.copyOfRange(sealed, header, sealed.length));
  }

  private byte[] cipher(int mode, byte[] nonce, String associatedData, byte[] input) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, key, new GCMParameterSpec(128, nonce));
      cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(input);
    } catch (AEADBadTagException e) {
      throw new SigningKeyUnavailableException(
          "signing key " + associatedData + " does not decrypt: it was altered or moved");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  private static byte[] fingerprintOf(byte[] key) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update("quma signing key encryption".getBytes(StandardCharsets.US_ASCII));
      return Arrays.copyOf(sha.digest(key), FINGERPRINT_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "KeyEncryption[fingerprint=" + fingerprint() + "]";
  }
}

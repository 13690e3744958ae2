package dev.quma.core.tokens;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.HexFormat;

/**
 * A signing key of a mesh as verifiers see it: its public half and where it is stored.
 *
 * @param version the secret's store version (it can repeat in a store that lost its data: caches go
 *     by {@code fingerprint}, never by serial or version)
 * @param encrypted whether the private key is stored encrypted
 * @param fingerprint the key's identity: SHA-256 of its public half (X.509 encoding), in hex
 */
public record SigningKeyInfo(
    String mesh,
    int serial,
    String secretName,
    long version,
    Instant creationTime,
    RSAPublicKey publicKey,
    boolean encrypted,
    String fingerprint) {

  public SigningKeyInfo(
      String mesh,
      int serial,
      String secretName,
      long version,
      Instant creationTime,
      RSAPublicKey publicKey,
      boolean encrypted) {
    this(
        mesh,
        serial,
        secretName,
        version,
        creationTime,
        publicKey,
        encrypted,
        fingerprintOf(publicKey));
  }

  /** SHA-256 of the public key's X.509 encoding, in hex. */
  public static String fingerprintOf(RSAPublicKey key) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** The same key as stored at another version. */
  SigningKeyInfo atVersion(long otherVersion, Instant otherCreationTime) {
    return new SigningKeyInfo(
        mesh,
        serial,
        secretName,
        otherVersion,
        otherCreationTime,
        publicKey,
        encrypted,
        fingerprint);
  }

  /** Length in bytes of the signatures this key makes. */
  int signatureLength() {
    return (publicKey.getModulus().bitLength() + 7) / 8;
  }

  @Override
  public String toString() {
    return "SigningKeyInfo[mesh="
        + mesh
        + ", serial="
        + serial
        + ", version="
        + version
        + ", fingerprint="
        + fingerprint.substring(0, 16)
        + "]";
  }
}

package dev.quma.core.tokens;

import java.security.interfaces.RSAPublicKey;
import java.time.Instant;

/**
 * A signing key of a mesh as verifiers see it: its public half and where it is stored.
 *
 * @param version the secret's store version: a changed version means changed key material
 * @param encrypted whether the private key is stored encrypted
 */
public record SigningKeyInfo(
    String mesh,
    int serial,
    String secretName,
    long version,
    Instant creationTime,
    RSAPublicKey publicKey,
    boolean encrypted) {

  /** Length in bytes of the signatures this key makes. */
  int signatureLength() {
    return (publicKey.getModulus().bitLength() + 7) / 8;
  }

  @Override
  public String toString() {
    return "SigningKeyInfo[mesh=" + mesh + ", serial=" + serial + ", version=" + version + "]";
  }
}

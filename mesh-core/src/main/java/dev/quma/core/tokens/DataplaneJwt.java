package dev.quma.core.tokens;

import dev.quma.core.jwt.JwtRefusedException;
import dev.quma.core.jwt.Rs256Jwt;
import dev.quma.core.tokens.TokenRefusedException.Reason;
import java.util.OptionalInt;

/**
 * A dataplane token as the JWT stack ({@link Rs256Jwt}) reads it before its key is known: the
 * serial its {@code kid} names and its claims, so that the verifier can pick the mesh's key; then
 * its signature, checked by the stack with that key. Each refusal gets the reason and words of a
 * dataplane token.
 */
final class DataplaneJwt {
  final String token;
  final String keyId;
  final int keySerial;
  final DataplaneTokenClaims claims;
  private final int signatureLength;

  private DataplaneJwt(
      String token, String keyId, int keySerial, DataplaneTokenClaims claims, int signatureLength) {
    this.token = token;
    this.keyId = keyId;
    this.keySerial = keySerial;
    this.claims = claims;
    this.signatureLength = signatureLength;
  }

  /** Shape, algorithm (RS256 only), {@code crit}, {@code kid} and claims: all before any key. */
  static DataplaneJwt read(String token) {
    Rs256Jwt.Unverified unverified;
    try {
      unverified = Rs256Jwt.peek(token);
    } catch (JwtRefusedException e) {
      throw refusal(e);
    }
    OptionalInt serial = DataplaneTokenNames.parseSerial(unverified.keyId());
    if (serial.isEmpty()) {
      throw notASerial();
    }
    DataplaneTokenClaims claims = DataplaneTokenClaims.fromJson(unverified.payload());
    return new DataplaneJwt(
        token, unverified.keyId(), serial.getAsInt(), claims, unverified.signatureLength());
  }

  /** The RS256 signature, checked by the stack with {@code key} (the one {@code kid} names). */
  void verifySignature(SigningKeyInfo key) {
    if (signatureLength != key.signatureLength()) {
      throw DataplaneTokenClaims.malformed(
          "its signature has "
              + signatureLength
              + " bytes, a signature of signing key "
              + key.serial()
              + " has "
              + key.signatureLength()
              + " (truncated?)");
    }
    try {
      Rs256Jwt.verify(token, keyId, key.publicKey());
    } catch (JwtRefusedException e) {
      if (e.kind() == JwtRefusedException.Kind.BAD_SIGNATURE) {
        throw new TokenRefusedException(
            Reason.BAD_SIGNATURE,
            "the dataplane token's signature does not match signing key "
                + key.serial()
                + " of mesh \""
                + key.mesh()
                + "\" (the token was altered, or signed by another control plane)");
      }
      throw refusal(e);
    }
  }

  private static TokenRefusedException refusal(JwtRefusedException refused) {
    return switch (refused.kind()) {
      case MALFORMED, CRITICAL_HEADER -> DataplaneTokenClaims.malformed(refused.detail());
      case UNSIGNED ->
          new TokenRefusedException(
              Reason.UNSIGNED,
              "the dataplane token is not signed (alg \"none\"); tokens must be signed with RS256");
      case UNSUPPORTED_ALGORITHM ->
          new TokenRefusedException(
              Reason.UNSUPPORTED_ALGORITHM,
              "the dataplane token is signed with "
                  + refused.detail()
                  + "; only RS256 is accepted");
      case MISSING_KEY_ID ->
          new TokenRefusedException(
              Reason.MISSING_KEY_ID,
              "the dataplane token has no key id (kid header); tokens name the serial number of"
                  + " the signing key that signed them");
      case KEY_ID_NOT_A_STRING, OTHER_KEY_ID -> notASerial();
      case BAD_SIGNATURE ->
          new TokenRefusedException(
              Reason.BAD_SIGNATURE, "the dataplane token's signature does not match its key");
    };
  }

  private static TokenRefusedException notASerial() {
    return new TokenRefusedException(
        Reason.MISSING_KEY_ID,
        "the dataplane token's key id (kid header) is not the serial number of a signing key");
  }
}

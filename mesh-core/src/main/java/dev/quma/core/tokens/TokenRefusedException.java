package dev.quma.core.tokens;

import java.util.Objects;

/**
 * A dataplane token was refused. {@link #reason()} says why, one constant per distinct cause;
 * {@link #forbidden()} tells a caller which status to answer: true (403) when the token is genuine
 * but was issued for another dataplane, false (401) when the token itself is not acceptable. The
 * message is meant for the log and for the caller: it never contains key material.
 */
public class TokenRefusedException extends RuntimeException {

  /** Why a token was refused. */
  public enum Reason {
    /** Not a compact JWS, bad base64url or JSON, a claim of the wrong type, no exp or jti. */
    MALFORMED(false),
    /** {@code alg: none}: the token carries no signature at all. */
    UNSIGNED(false),
    /** Any algorithm but RS256 (e.g. HS256 keyed with the public key). */
    UNSUPPORTED_ALGORITHM(false),
    /** No usable {@code kid} header naming the signing key's serial number. */
    MISSING_KEY_ID(false),
    /** The mesh has no signing key with that serial: never existed, or was removed. */
    UNKNOWN_SIGNING_KEY(false),
    /** The signature does not match the signing key the token names. */
    BAD_SIGNATURE(false),
    EXPIRED(false),
    NOT_YET_VALID(false),
    REVOKED(false),
    /** A genuine token of another mesh. */
    WRONG_MESH(true),
    /** A genuine token of another dataplane of the mesh. */
    WRONG_NAME(true),
    /** An inbound (or the gateway) of the dataplane lacks a tag the token is bound to. */
    MISSING_TAGS(true),
    /** An inbound (or the gateway) has a value of a bound tag that the token does not allow. */
    TAG_VALUE_NOT_ALLOWED(true),
    /** A genuine token for another kind of proxy (dataplane, ingress, egress). */
    WRONG_TYPE(true);

    private final boolean forbidden;

    Reason(boolean forbidden) {
      this.forbidden = forbidden;
    }

    public boolean forbidden() {
      return forbidden;
    }
  }

  private final Reason reason;

  public TokenRefusedException(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = Objects.requireNonNull(reason);
  }

  public Reason reason() {
    return reason;
  }

  /** True when the caller should answer 403 (a valid token of someone else), false for 401. */
  public boolean forbidden() {
    return reason.forbidden();
  }
}

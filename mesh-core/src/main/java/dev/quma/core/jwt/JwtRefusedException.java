package dev.quma.core.jwt;

import java.util.Objects;

/**
 * A JWT was refused by {@link Rs256Jwt} before or while its signature was checked. Each token kind
 * turns {@link #kind()} into its own reason and words; {@link #getMessage()} is a fragment for them
 * ("its header is padded, which JWTs never are") and never carries key material.
 */
public final class JwtRefusedException extends RuntimeException {

  /** Why the token was refused. */
  public enum Kind {
    /** Not a compact JWS: parts, base64url, header JSON. */
    MALFORMED,
    /** {@code alg: none}. */
    UNSIGNED,
    /** Any algorithm but RS256; {@link #detail()} is the algorithm, made printable. */
    UNSUPPORTED_ALGORITHM,
    /** The header has critical extensions ({@code crit}). */
    CRITICAL_HEADER,
    /** No {@code kid} header. */
    MISSING_KEY_ID,
    /** A {@code kid} header that is not a string. */
    KEY_ID_NOT_A_STRING,
    /** The {@code kid} is not the one of the key the caller verifies with. */
    OTHER_KEY_ID,
    /** The RS256 signature does not match the key. */
    BAD_SIGNATURE
  }

  private final Kind kind;
  private final String detail;

  JwtRefusedException(Kind kind, String detail) {
    super(detail, null, false, false);
    this.kind = Objects.requireNonNull(kind);
    this.detail = detail;
  }

  public Kind kind() {
    return kind;
  }

  /** A short fragment for the caller's message (never key material). */
  public String detail() {
    return detail;
  }
}

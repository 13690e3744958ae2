package dev.quma.core.tokens;

import java.time.Duration;

/**
 * @param clockSkew how far clocks may disagree: a token is accepted this long after {@code exp} and
 *     before {@code nbf}/{@code iat}
 * @param refreshInterval how stale the cached keys and revocations may be: a revocation or key
 *     removal made elsewhere takes effect within this time
 */
public record VerifierSettings(Duration clockSkew, Duration refreshInterval) {
  public static final VerifierSettings DEFAULTS =
      new VerifierSettings(Duration.ofSeconds(30), Duration.ofSeconds(1));

  public VerifierSettings {
    if (clockSkew.isNegative() || refreshInterval.isNegative()) {
      throw new IllegalArgumentException("clock skew and refresh interval must not be negative");
    }
  }
}

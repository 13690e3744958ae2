package dev.quma.tokens;

import dev.quma.core.runtime.GoDurationConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings of the token-service; see the configuration table in the README. */
@ConfigMapping(prefix = "quma.token-service")
public interface TokenServiceConfig {
  /** Longest {@code validFor} a request may ask for. */
  @WithConverter(GoDurationConverter.class)
  @WithDefault("87600h")
  Duration maxValidFor();

  /** Lifetime of a token whose request has no {@code validFor} (Kuma: 10 years). */
  @WithConverter(GoDurationConverter.class)
  @WithDefault("87600h")
  Duration defaultValidFor();

  /**
   * Base64 of 32 bytes: when set, new signing keys are stored encrypted with it (AES-256-GCM).
   * Without it they are stored as Kuma stores them, PEM in a Secret: readable by whoever can read
   * the mesh's secrets (admins) or Redis.
   */
  Optional<String> signingKeyEncryptionKey();

  /** How often each replica takes long-expired tokens off the meshes' revocation lists. */
  @WithConverter(GoDurationConverter.class)
  @WithDefault("1h")
  Duration revocationPruneInterval();

  /**
   * How long after its expiry a revoked token stays listed: a margin for verifiers whose clocks run
   * behind.
   */
  @WithConverter(GoDurationConverter.class)
  @WithDefault("1h")
  Duration revocationPruneGrace();

  /** Largest {@code size} of a ledger page. */
  @WithDefault("1000")
  int maxPageSize();
}

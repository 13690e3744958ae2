package dev.quma.tokens.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * What {@code /q/metrics} tells about tokens: {@code quma_dataplane_tokens_issued_total} and {@code
 * quma_dataplane_tokens_revoked_total} per mesh, and {@code quma_dataplane_token_signing_seconds}
 * (the RSA signature alone).
 */
@ApplicationScoped
public class TokenMetrics {
  private final MeterRegistry registry;
  private final Timer signing;

  public TokenMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.signing =
        Timer.builder("quma.dataplane.token.signing")
            .description("Time to sign one dataplane token (RS256)")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
  }

  public void issued(String mesh) {
    counter("quma.dataplane.tokens.issued", "Dataplane tokens issued", mesh).increment();
  }

  public void revoked(String mesh, int count) {
    counter("quma.dataplane.tokens.revoked", "Dataplane tokens revoked", mesh).increment(count);
  }

  public void signed(Duration took) {
    signing.record(took);
  }

  private Counter counter(String name, String description, String mesh) {
    return Counter.builder(name).description(description).tag("mesh", mesh).register(registry);
  }
}

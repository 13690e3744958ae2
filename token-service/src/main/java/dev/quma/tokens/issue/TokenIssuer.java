package dev.quma.tokens.issue;

import dev.quma.core.tokens.DataplaneTokenClaims;
import dev.quma.core.tokens.DataplaneTokenSigner;
import dev.quma.core.tokens.SigningKeyManager;
import dev.quma.tokens.ledger.IssuedToken;
import dev.quma.tokens.ledger.LedgerWriter;
import dev.quma.tokens.runtime.TokenMetrics;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.Executor;

/**
 * Issues a dataplane token: the mesh's current signing key (its first one is made on first need),
 * Kuma's claims, an RS256 signature on a worker thread, then a ledger row. The token is handed out
 * only once the ledger has it, so that revoke-by-name can never miss one.
 */
@ApplicationScoped
public class TokenIssuer {
  // Kuma backdates nbf by five minutes, for clocks that run behind the issuer's.
  private static final Duration NOT_BEFORE_SLACK = Duration.ofMinutes(5);

  private final SigningKeyManager keys;
  private final LedgerWriter ledger;
  private final TokenMetrics metrics;
  private final Clock clock;

  public TokenIssuer(
      SigningKeyManager keys, LedgerWriter ledger, TokenMetrics metrics, Clock clock) {
    this.keys = keys;
    this.ledger = ledger;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** The token, once it is in the ledger; continues on {@code requestContext}. */
  public Uni<String> issue(
      DataplaneTokenRequest request, String issuedBy, Executor requestContext) {
    return keys.signingKey(request.mesh())
        .emitOn(Infrastructure.getDefaultWorkerPool())
        .map(key -> sign(request, key, issuedBy))
        .flatMap(signed -> ledger.record(signed.row()).replaceWith(signed.token()))
        .emitOn(requestContext)
        .invoke(() -> metrics.issued(request.mesh()));
  }

  private record Signed(String token, IssuedToken row) {}

  private Signed sign(DataplaneTokenRequest request, SigningKeyManager.SigningKey key, String by) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    DataplaneTokenClaims claims =
        new DataplaneTokenClaims(
            request.name(),
            request.mesh(),
            request.tags(),
            request.type() == null ? "" : request.type().wireName(),
            request.workload(),
            UUID.randomUUID().toString(),
            now,
            now.minus(NOT_BEFORE_SLACK),
            now.plus(request.validFor()));
    long started = System.nanoTime();
    String token = DataplaneTokenSigner.sign(claims, key.serial(), key.privateKey());
    metrics.signed(Duration.ofNanos(System.nanoTime() - started));

    IssuedToken row = new IssuedToken();
    row.jti = UUID.fromString(claims.jti());
    row.mesh = request.mesh();
    row.name = request.name();
    row.tags = request.tags();
    row.proxyType = request.type() == null ? null : request.type().wireName();
    row.workload = request.workload();
    row.keySerial = key.serial();
    row.issuedAt = claims.issuedAt();
    row.expiresAt = claims.expiresAt();
    row.issuedBy = by;
    return new Signed(token, row);
  }
}

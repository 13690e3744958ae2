package dev.quma.tokens.revoke;

import dev.quma.core.tokens.DataplaneTokenVerifier;
import dev.quma.core.tokens.TokenRevocations;
import dev.quma.http.errors.ApiException;
import dev.quma.tokens.ledger.TokenLedger;
import dev.quma.tokens.runtime.TokenMetrics;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;

/**
 * Revokes tokens: first on the mesh's revocation list in Redis (what verification reads, so that is
 * what takes effect), then in the ledger. Both steps are idempotent, so a retry after a failure
 * half-way finishes the job.
 */
@ApplicationScoped
public class Revoker {
  static final String TITLE = "Could not revoke";

  /** What a revocation did: every id it covers, and those that were revoked already. */
  public record Result(String mesh, List<String> revoked, List<String> alreadyRevoked) {}

  private final TokenRevocations revocations;
  private final TokenLedger ledger;
  private final DataplaneTokenVerifier verifier;
  private final TokenMetrics metrics;
  private final Clock clock;

  public Revoker(
      TokenRevocations revocations,
      TokenLedger ledger,
      DataplaneTokenVerifier verifier,
      TokenMetrics metrics,
      Clock clock) {
    this.revocations = revocations;
    this.ledger = ledger;
    this.verifier = verifier;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** Revokes tokens by id, whether or not the ledger knows them (Kuma's tokens, say). */
  public Uni<Result> revokeIds(String mesh, List<UUID> ids, String by, Executor requestContext) {
    List<String> texts = ids.stream().map(UUID::toString).toList();
    return revocations
        .revoke(mesh, texts)
        .emitOn(requestContext)
        .call(added -> ledger.markRevoked(mesh, ids, clock.instant(), by))
        .map(
            added -> {
              verifier.invalidate(mesh);
              metrics.revoked(mesh, added.size());
              return new Result(
                  mesh, texts, texts.stream().filter(id -> !added.contains(id)).toList());
            });
  }

  /** Revokes every token the ledger has for the proxy name that is neither revoked nor expired. */
  public Uni<Result> revokeName(String mesh, String name, String by, Executor requestContext) {
    Instant now = clock.instant();
    return ledger
        .anyIssuedFor(mesh, name)
        .flatMap(
            any -> {
              if (!any) {
                return Uni.createFrom()
                    .failure(
                        new ApiException(
                            404,
                            TITLE,
                            "the ledger has no token issued for \""
                                + name
                                + "\" in mesh \""
                                + mesh
                                + "\""));
              }
              return ledger.activeIds(mesh, name, now);
            })
        .flatMap(
            ids ->
                ids.isEmpty()
                    ? Uni.createFrom().item(new Result(mesh, List.of(), List.of()))
                    : revokeIds(mesh, ids, by, requestContext));
  }

  /** The ids on the mesh's revocation list. */
  public Uni<Set<String>> revoked(String mesh) {
    return revocations.revoked(mesh);
  }
}

package dev.quma.tokens.ledger;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Reads and revocations of the issuance ledger in PostgreSQL ({@link LedgerWriter} adds rows).
 * Callers must be on the request's Vert.x context (see {@code RequestContext}): Hibernate Reactive
 * insists on it.
 */
@ApplicationScoped
public class TokenLedger {

  /** One page of a mesh's tokens, newest first. */
  public record Page(long total, List<IssuedToken> items) {}

  private final Mutiny.SessionFactory sessions;

  public TokenLedger(Mutiny.SessionFactory sessions) {
    this.sessions = sessions;
  }

  /** A mesh's tokens (those of one proxy name when {@code name} is not null), newest first. */
  public Uni<Page> page(String mesh, String name, long offset, int size) {
    String where = "where t.mesh = :mesh" + (name == null ? "" : " and t.name = :name");
    return sessions.withStatelessSession(
        session -> {
          Mutiny.SelectionQuery<Long> count =
              session.createSelectionQuery(
                  "select count(t) from IssuedToken t " + where, Long.class);
          Mutiny.SelectionQuery<IssuedToken> items =
              session
                  .createSelectionQuery(
                      "from IssuedToken t " + where + " order by t.seq desc", IssuedToken.class)
                  .setFirstResult((int) Math.min(offset, Integer.MAX_VALUE))
                  .setMaxResults(size);
          count.setParameter("mesh", mesh);
          items.setParameter("mesh", mesh);
          if (name != null) {
            count.setParameter("name", name);
            items.setParameter("name", name);
          }
          return count
              .getSingleResult()
              .flatMap(total -> items.getResultList().map(rows -> new Page(total, rows)));
        });
  }

  public Uni<IssuedToken> find(String mesh, UUID jti) {
    return sessions.withStatelessSession(
        session ->
            session
                .createSelectionQuery(
                    "from IssuedToken t where t.mesh = :mesh and t.jti = :jti", IssuedToken.class)
                .setParameter("mesh", mesh)
                .setParameter("jti", jti)
                .getSingleResultOrNull());
  }

  /** Whether any token was ever issued for this proxy name in the mesh. */
  public Uni<Boolean> anyIssuedFor(String mesh, String name) {
    return sessions.withStatelessSession(
        session ->
            session
                .createSelectionQuery(
                    "select count(t) from IssuedToken t where t.mesh = :mesh and t.name = :name",
                    Long.class)
                .setParameter("mesh", mesh)
                .setParameter("name", name)
                .getSingleResult()
                .map(count -> count > 0));
  }

  /** Ids of the proxy's tokens that are neither revoked nor expired at {@code now}. */
  public Uni<List<UUID>> activeIds(String mesh, String name, Instant now) {
    return sessions.withStatelessSession(
        session ->
            session
                .createSelectionQuery(
                    "select t.jti from IssuedToken t where t.mesh = :mesh and t.name = :name"
                        + " and t.revokedAt is null and t.expiresAt > :now",
                    UUID.class)
                .setParameter("mesh", mesh)
                .setParameter("name", name)
                .setParameter("now", now)
                .getResultList());
  }

  /** Of {@code jtis}, those the ledger knows to have expired before {@code cutoff}. */
  public Uni<List<UUID>> expiredBefore(String mesh, Collection<UUID> jtis, Instant cutoff) {
    if (jtis.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    return sessions.withStatelessSession(
        session ->
            session
                .createSelectionQuery(
                    "select t.jti from IssuedToken t where t.mesh = :mesh and t.jti in :jtis"
                        + " and t.expiresAt < :cutoff",
                    UUID.class)
                .setParameter("mesh", mesh)
                .setParameter("jtis", jtis)
                .setParameter("cutoff", cutoff)
                .getResultList());
  }

  /** Marks the tokens revoked (those not marked yet); answers how many rows changed. */
  public Uni<Integer> markRevoked(
      String mesh, Collection<UUID> jtis, Instant at, String revokedBy) {
    if (jtis.isEmpty()) {
      return Uni.createFrom().item(0);
    }
    return sessions.withStatelessTransaction(
        session ->
            session
                .createMutationQuery(
                    "update IssuedToken t set t.revokedAt = :at, t.revokedBy = :by"
                        + " where t.mesh = :mesh and t.jti in :jtis and t.revokedAt is null")
                .setParameter("at", at)
                .setParameter("by", revokedBy)
                .setParameter("mesh", mesh)
                .setParameter("jtis", jtis)
                .executeUpdate());
  }
}

package dev.quma.tokens.ledger;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Creates and migrates the ledger's schema at start: numbered SQL scripts, each applied once, in
 * one transaction under an advisory lock, so replicas starting together migrate once. Applied
 * versions are kept in {@code quma_schema_history}. Until it is done the service is not ready.
 */
@ApplicationScoped
public class LedgerSchema {
  private static final Logger LOG = Logger.getLogger(LedgerSchema.class);
  // Any constant shared by all replicas ("QUMA" in ASCII).
  private static final long LOCK = 0x51554d41L;

  /** One migration: applied in order of version, never edited once released. */
  record Migration(int version, String description, String script) {}

  static final List<Migration> MIGRATIONS =
      List.of(new Migration(1, "dataplane token ledger", "V1__dataplane_token_ledger.sql"));

  private final Pool pool;
  private volatile boolean migrated;

  public LedgerSchema(Pool pool) {
    this.pool = pool;
  }

  void onStart(@Observes StartupEvent event) {
    migrate()
        .onFailure()
        .invoke(
            e ->
                LOG.warnf("could not migrate the ledger schema yet (%s); retrying", e.getMessage()))
        .onFailure()
        .retry()
        .withBackOff(Duration.ofMillis(500), Duration.ofSeconds(10))
        .indefinitely()
        .subscribe()
        .with(x -> {}, e -> LOG.error("giving up on the ledger schema", e));
  }

  public boolean migrated() {
    return migrated;
  }

  /** Applies what is missing; safe to run from several replicas at once, and again. */
  public Uni<Integer> migrate() {
    return pool.withTransaction(
            connection ->
                connection
                    // "already exists, skipping" notices are expected here: not worth a warning.
                    .query("set local client_min_messages = warning")
                    .execute()
                    .flatMap(
                        x ->
                            connection
                                .query("select pg_advisory_xact_lock(" + LOCK + ")")
                                .execute())
                    .flatMap(
                        x ->
                            connection
                                .query(
                                    "create table if not exists quma_schema_history ("
                                        + " version integer primary key,"
                                        + " description text not null,"
                                        + " applied_at timestamptz not null default now())")
                                .execute())
                    .flatMap(
                        x ->
                            connection
                                .query("select coalesce(max(version), 0) from quma_schema_history")
                                .execute())
                    .flatMap(
                        rows -> applyFrom(connection, rows.iterator().next().getInteger(0), 0)))
        .invoke(
            applied -> {
              migrated = true;
              if (applied > 0) {
                LOG.infof("ledger schema migrated (%d migration(s) applied)", applied);
              }
            });
  }

  private Uni<Integer> applyFrom(SqlConnection connection, int current, int index) {
    if (index == MIGRATIONS.size()) {
      return Uni.createFrom().item(0);
    }
    Migration migration = MIGRATIONS.get(index);
    if (migration.version() <= current) {
      return applyFrom(connection, current, index + 1);
    }
    return connection
        .query(read(migration.script()))
        .execute()
        .flatMap(
            x ->
                connection
                    .preparedQuery(
                        "insert into quma_schema_history (version, description) values ($1, $2)")
                    .execute(Tuple.of(migration.version(), migration.description())))
        .flatMap(x -> applyFrom(connection, current, index + 1))
        .map(applied -> applied + 1);
  }

  private static String read(String script) {
    try (InputStream in = LedgerSchema.class.getResourceAsStream("/db/ledger/" + script)) {
      if (in == null) {
        throw new IllegalStateException("missing migration " + script);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

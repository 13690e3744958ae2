package dev.quma.tokens.ledger;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Writes issued tokens to the ledger in batches: while one batch is being committed, new rows queue
 * up and go together in the next one. Under load this turns hundreds of transactions (and WAL
 * flushes) per second into a few; when idle a row is written at once. Each caller's Uni completes
 * only once its row is committed.
 *
 * <p>Batches run on a duplicated Vert.x context of the writer's own, marked safe, as Hibernate
 * Reactive requires.
 */
@ApplicationScoped
public class LedgerWriter {
  private static final int MAX_BATCH = 256;

  private record Pending(IssuedToken row, CompletableFuture<Void> written) {}

  private final Mutiny.SessionFactory sessions;
  private final Context context;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>(); // guarded by this
  private boolean writing; // guarded by this

  public LedgerWriter(Mutiny.SessionFactory sessions, Vertx vertx) {
    this.sessions = sessions;
    this.context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
    VertxContextSafetyToggle.setContextSafe(context, true);
  }

  /** Completes once the row is committed. */
  public Uni<Void> record(IssuedToken row) {
    CompletableFuture<Void> written = new CompletableFuture<>();
    boolean start;
    synchronized (this) {
      queue.add(new Pending(row, written));
      start = !writing;
      writing = true;
    }
    if (start) {
      context.runOnContext(ignored -> writeNext());
    }
    return Uni.createFrom().completionStage(written);
  }

  private void writeNext() {
    List<Pending> batch = new ArrayList<>();
    synchronized (this) {
      while (!queue.isEmpty() && batch.size() < MAX_BATCH) {
        batch.add(queue.poll());
      }
      if (batch.isEmpty()) {
        writing = false;
        return;
      }
    }
    Object[] rows = batch.stream().map(Pending::row).toArray();
    sessions
        .withStatelessTransaction(session -> session.insertAll(rows.length, rows))
        .subscribe()
        .with(
            ok -> {
              batch.forEach(p -> p.written().complete(null));
              writeNext();
            },
            failure -> {
              batch.forEach(p -> p.written().completeExceptionally(failure));
              writeNext();
            });
  }
}

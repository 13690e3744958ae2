package dev.quma.tokens.revoke;

import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.ListQuery;
import dev.quma.core.store.ResourceQueries;
import dev.quma.core.tokens.TokenRevocations;
import dev.quma.tokens.TokenServiceConfig;
import dev.quma.tokens.ledger.TokenLedger;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Keeps the meshes' revocation lists short: a revoked token that expired (plus a grace for clocks)
 * is refused for its expiry anyway, so it is taken off the list. Without this every revocation ever
 * made would stay in the Secret that each verifier reloads whenever the list changes. Only ids the
 * ledger knows are pruned: an id revoked by hand for a token issued elsewhere has no known expiry
 * and stays. Every replica prunes on its own timer; the list is changed by compare-and-set, so two
 * replicas pruning at once do no harm.
 */
@ApplicationScoped
public class RevocationPruner {
  private static final Logger LOG = Logger.getLogger(RevocationPruner.class);
  private static final int MESH_PAGE = 500;

  private final ResourceQueries queries;
  private final TokenRevocations revocations;
  private final TokenLedger ledger;
  private final TokenServiceConfig config;
  private final Clock clock;
  private ScheduledExecutorService timer;

  public RevocationPruner(
      ResourceQueries queries,
      TokenRevocations revocations,
      TokenLedger ledger,
      TokenServiceConfig config,
      Clock clock) {
    this.queries = queries;
    this.revocations = revocations;
    this.ledger = ledger;
    this.config = config;
    this.clock = clock;
  }

  void start(@Observes StartupEvent event) {
    timer =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "revocation-pruner");
              thread.setDaemon(true);
              return thread;
            });
    long every = config.revocationPruneInterval().toMillis();
    timer.scheduleWithFixedDelay(this::pruneQuietly, every, every, TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  private void pruneQuietly() {
    try {
      int pruned = pruneAll();
      if (pruned > 0) {
        LOG.infof("took %d expired tokens off the revocation lists", pruned);
      }
    } catch (Throwable e) {
      LOG.warnf("could not prune the revocation lists: %s", e.getMessage());
    }
  }

  /**
   * Prunes every mesh's list now; answers how many ids it took off. Blocks: not on an event loop.
   */
  public int pruneAll() throws Throwable {
    return pruneAll(clock.instant().minus(config.revocationPruneGrace()));
  }

  /** Takes off every listed token the ledger says expired before {@code cutoff}. */
  int pruneAll(Instant cutoff) throws Throwable {
    int pruned = 0;
    for (String mesh : meshes()) {
      pruned += VertxContextSupport.subscribeAndAwait(() -> prune(mesh, cutoff));
    }
    return pruned;
  }

  private Uni<Integer> prune(String mesh, Instant cutoff) {
    return revocations
        .revoked(mesh)
        .flatMap(
            listed -> {
              List<UUID> ids = new ArrayList<>();
              for (String id : listed) {
                try {
                  ids.add(UUID.fromString(id));
                } catch (IllegalArgumentException notOurs) {
                  // not a ledger id: its expiry is unknown, so it stays
                }
              }
              return ledger.expiredBefore(mesh, ids, cutoff);
            })
        .flatMap(
            expired ->
                expired.isEmpty()
                    ? Uni.createFrom().item(0)
                    : revocations
                        .forget(mesh, expired.stream().map(UUID::toString).toList())
                        .map(java.util.Set::size));
  }

  private List<String> meshes() throws Throwable {
    List<String> names = new ArrayList<>();
    long offset = 0;
    while (true) {
      long from = offset;
      var page =
          VertxContextSupport.subscribeAndAwait(
              () -> queries.list(ResourceType.MESH, null, ListQuery.page(from, MESH_PAGE)));
      for (Resource<?> mesh : page.items()) {
        names.add(mesh.name());
      }
      if (page.nextOffset().isEmpty()) {
        return names;
      }
      offset = page.nextOffset().getAsLong();
    }
  }
}

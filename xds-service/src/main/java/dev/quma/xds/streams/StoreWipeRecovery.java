package dev.quma.xds.streams;

import dev.quma.core.model.Dataplane;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceMeta;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.MeshNotFoundException;
import dev.quma.core.store.ResourceConflictException;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.StoreRecovery;
import dev.quma.xds.admission.AdmittedProxy;
import dev.quma.xds.follow.ViewSync;
import io.grpc.Status;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * After a wipe: the mesh views are loaded anew (what they hold is gone, and versions start again),
 * and the proxies connected here are registered again: a Direct proxy's dataplane is written back
 * from what it registered, then every stream gets a new subscription in its insight. Their tokens
 * are not checked again: their signing keys were lost with the store. A proxy whose mesh does not
 * come back (the default mesh is recreated by api-service within moments; another mesh only if
 * someone creates it) within {@link #MESH_PATIENCE} has its stream ended.
 */
@ApplicationScoped
public class StoreWipeRecovery implements StoreRecovery {
  private static final Logger LOG = Logger.getLogger(StoreWipeRecovery.class);
  static final Duration MESH_PATIENCE = Duration.ofSeconds(30);

  private final ViewSync views;
  private final ProxyStreams streams;
  private final ResourceStore store;

  public StoreWipeRecovery(ViewSync views, ProxyStreams streams, ResourceStore store) {
    this.views = views;
    this.streams = streams;
    this.store = store;
  }

  @Override
  public String name() {
    return "the mesh views and the connected proxies' registrations";
  }

  @Override
  public void forget() {
    views.resyncAll();
    // The new store's keys (serial 1 again) would refuse every token admitted under the lost ones.
    streams.sessions().forEach(StreamSession::admittedByALostStore);
  }

  @Override
  public Uni<Void> recreate() {
    List<StreamSession> live =
        streams.sessions().stream().filter(s -> !s.ended() && s.admitted() != null).toList();
    if (live.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    List<Uni<StreamSession>> registered = new ArrayList<>();
    live.forEach(session -> registered.add(registerAgain(session)));
    return Uni.join()
        .all(registered)
        .andFailFast()
        .flatMap(
            sessions -> {
              List<StreamSession> kept = sessions.stream().filter(s -> s != null).toList();
              LOG.infof(
                  "registered %d connected proxies again (%d of them Direct)",
                  kept.size(), kept.stream().filter(StreamSession::direct).count());
              return streams.reopen(kept);
            });
  }

  /** Writes a Direct proxy's dataplane back; answers the session, or null if its stream ended. */
  private Uni<StreamSession> registerAgain(StreamSession session) {
    AdmittedProxy proxy = session.admitted();
    if (!proxy.direct()) {
      return Uni.createFrom().item(session); // its dataplane is the API's to create again
    }
    Resource<Dataplane> registration =
        new Resource<>(
            ResourceMeta.of(
                ResourceType.DATAPLANE,
                proxy.key().mesh(),
                proxy.key().name(),
                new TreeMap<>(proxy.labels())),
            proxy.spec());
    return store
        .create(registration)
        .replaceWith(session)
        // it reconnected meanwhile and was registered by its new stream
        .onFailure(ResourceConflictException.class)
        .recoverWithItem(session)
        .onFailure(MeshNotFoundException.class)
        .retry()
        .withBackOff(Duration.ofMillis(100), Duration.ofSeconds(2))
        .expireIn(MESH_PATIENCE.toMillis())
        .onFailure(MeshNotFoundException.class)
        .recoverWithItem(
            () -> {
              LOG.infof(
                  "ending the stream of %s: its mesh did not come back within %s after the store"
                      + " lost its data",
                  proxy.key(), MESH_PATIENCE);
              session.terminate(
                  Status.NOT_FOUND.withDescription(
                      "mesh \"" + proxy.key().mesh() + "\" does not exist any more"));
              return null;
            });
  }
}

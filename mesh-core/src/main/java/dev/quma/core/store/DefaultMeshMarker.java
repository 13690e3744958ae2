package dev.quma.core.store;

import dev.quma.core.model.Resource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import java.time.Clock;

/**
 * Creates a mesh once in the life of the store: a marker in the mesh's slot ({@link
 * Keys#defaultMeshMarker}) records that it was created, so that a mesh the operator deleted is not
 * brought back by the next restart.
 */
public final class DefaultMeshMarker {
  private final ResourceStore store;
  private final Clock clock;

  public DefaultMeshMarker(ResourceStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** True when this call created the mesh. */
  public Uni<Boolean> createOnce(Resource<?> mesh) {
    String marker = store.keys().defaultMeshMarker(mesh.name());
    return store
        .redis()
        .send(Request.cmd(Command.SET).arg(marker).arg(clock.instant().toString()).arg("NX"))
        .flatMap(
            claimed -> {
              if (claimed == null) {
                return Uni.createFrom().item(false);
              }
              return store
                  .create(mesh)
                  .replaceWith(true)
                  .onFailure(ResourceConflictException.class)
                  .recoverWithItem(false)
                  .onFailure(e -> !(e instanceof ResourceConflictException))
                  // let a later start retry
                  .call(() -> store.redis().send(Request.cmd(Command.DEL).arg(marker)));
            });
  }
}

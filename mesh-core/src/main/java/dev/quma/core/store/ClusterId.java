package dev.quma.core.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.util.UUID;

/** This control plane's cluster id (Kuma's {@code clusterId} in {@code GET /}). */
public final class ClusterId {
  private final ResourceStore store;

  public ClusterId(ResourceStore store) {
    this.store = store;
  }

  /** A random id given to the store the first time any replica asks for it. */
  public Uni<String> get() {
    String key = store.keys().clusterId();
    Request claim = Request.cmd(Command.SET).arg(key).arg(UUID.randomUUID().toString()).arg("NX");
    return store
        .redis()
        .send(claim)
        .flatMap(x -> store.redis().send(Request.cmd(Command.GET).arg(key)))
        .map(Response::toString);
  }
}

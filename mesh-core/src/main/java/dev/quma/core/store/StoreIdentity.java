package dev.quma.core.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.util.UUID;

/**
 * The store's identity: a random id written once ({@link Keys#storeId}). A Redis that lost its data
 * (restarted without persistence, flushed) has no id, or, once a service claimed it again, another
 * one: a service that remembers the id it saw knows the store was wiped when it changes.
 */
public final class StoreIdentity {
  private final Redis redis;
  private final Keys keys;

  public StoreIdentity(Redis redis, Keys keys) {
    this.redis = redis;
    this.keys = keys;
  }

  /** The store's id, given to it now if it has none (whoever comes first; every caller agrees). */
  public Uni<String> claim() {
    String key = keys.storeId();
    Request claim = Request.cmd(Command.SET).arg(key).arg(UUID.randomUUID().toString()).arg("NX");
    return redis
        .send(claim)
        .flatMap(x -> redis.send(Request.cmd(Command.GET).arg(key)))
        .map(Response::toString);
  }

  /** The store's id, or null when it has none (a wiped store nobody claimed yet). */
  public Uni<String> read() {
    return redis
        .send(Request.cmd(Command.GET).arg(keys.storeId()))
        .map(id -> id == null ? null : id.toString());
  }
}

package dev.quma.core.store;

import dev.quma.core.model.ResourceType;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.util.List;

/**
 * The global list of meshes ({@link Keys#meshIndex}) and the meshes' events on the global stream,
 * so that followers learn which mesh streams to read. A mesh's record, index entry and stream live
 * in the mesh's own slot, written by the store's scripts; these two live in the global slot, so
 * they are a step of their own: the index entry before the mesh is created, the event after.
 */
final class MeshIndex {
  private final Redis redis;
  private final Keys keys;
  private final StoreSettings settings;

  MeshIndex(Redis redis, Keys keys, StoreSettings settings) {
    this.redis = redis;
    this.keys = keys;
    this.settings = settings;
  }

  /** Names of every mesh, sorted (it may briefly hold one whose record is not written yet). */
  Uni<List<String>> names() {
    return redis
        .send(Request.cmd(Command.ZRANGE).arg(keys.meshIndex()).arg(0).arg(-1))
        .map(Replies::strings);
  }

  Uni<Long> count() {
    return redis.send(Request.cmd(Command.ZCARD).arg(keys.meshIndex())).map(Response::toLong);
  }

  /** Before a mesh is written: its name in the index. */
  Uni<Void> add(String mesh) {
    return redis
        .send(Request.cmd(Command.ZADD).arg(keys.meshIndex()).arg(0).arg(mesh))
        .replaceWithVoid();
  }

  /** After a mesh was created. */
  Uni<Void> created(String mesh) {
    return event("create", mesh);
  }

  /** After a mesh was deleted: out of the index, and told. */
  Uni<Void> deleted(String mesh) {
    return redis
        .send(Request.cmd(Command.ZREM).arg(keys.meshIndex()).arg(mesh))
        .flatMap(x -> event("delete", mesh));
  }

  private Uni<Void> event(String op, String mesh) {
    Request xadd =
        Request.cmd(Command.XADD)
            .arg(keys.events(Keys.GLOBAL_TAG))
            .arg("MAXLEN")
            .arg("~")
            .arg(settings.streamMaxLength())
            .arg("*")
            .arg("op")
            .arg(op)
            .arg("type")
            .arg(ResourceType.MESH.kumaName())
            .arg("mesh")
            .arg(mesh)
            .arg("name")
            .arg(mesh)
            .arg("version")
            .arg(0);
    return redis.send(xadd).replaceWithVoid();
  }
}

package dev.quma.core.lease;

import dev.quma.core.store.Keys;
import dev.quma.core.store.LuaScript;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import java.time.Duration;
import java.util.Optional;

/**
 * A named lease in Redis that one holder at a time has: taken with SET NX PX, kept by renewing it
 * before it expires, and renewed or released only by the holder whose value it still holds. If the
 * holder dies the lease simply expires and the next caller of {@link #tryAcquire} gets it, with a
 * larger token.
 */
public final class Lease {
  private static final LuaScript ACQUIRE = LuaScript.load(Lease.class, "acquire.lua");
  private static final LuaScript RENEW = LuaScript.load(Lease.class, "renew.lua");
  private static final LuaScript RELEASE = LuaScript.load(Lease.class, "release.lua");
  private static final LuaScript RAISE_EPOCH = LuaScript.load(Lease.class, "raise-epoch.lua");

  private final Redis redis;
  private final Keys keys;
  private final String name;
  private final String key;
  private final String epochKey;
  private final String holder;

  /**
   * @param holder who asks (e.g. host and process): it goes into the lease's value, for operators
   */
  public Lease(Redis redis, Keys keys, String name, String holder) {
    if (holder.contains("#")) {
      throw new IllegalArgumentException("a holder id cannot contain '#': " + holder);
    }
    this.redis = redis;
    this.keys = keys;
    this.name = name;
    this.key = keys.lease(name);
    this.epochKey = keys.leaseEpoch(name);
    this.holder = holder;
  }

  public String holder() {
    return holder;
  }

  public String name() {
    return name;
  }

  /** The lease for {@code ttl}, if nobody holds it. */
  public Uni<Optional<LeaseGrant>> tryAcquire(Duration ttl) {
    return ACQUIRE
        .run(
            redis,
            new LuaScript.Call()
                .key("lease", key)
                .key("epoch", epochKey)
                .arg("holder", holder)
                .arg("ttl", ttl.toMillis()))
        .map(
            reply ->
                "acquired".equals(reply.get(0).toString())
                    ? Optional.of(
                        new LeaseGrant(name, reply.get(1).toString(), reply.get(2).toLong()))
                    : Optional.empty());
  }

  /** Extends the lease by {@code ttl} from now; false when it expired or someone else holds it. */
  public Uni<Boolean> renew(LeaseGrant grant, Duration ttl) {
    return RENEW
        .run(
            redis,
            new LuaScript.Call()
                .key("lease", key)
                .arg("value", grant.value())
                .arg("ttl", ttl.toMillis()))
        .map(reply -> reply.toInteger() == 1);
  }

  /** Gives the lease up so that another holder need not wait for it to expire. */
  public Uni<Boolean> release(LeaseGrant grant) {
    return RELEASE
        .run(redis, new LuaScript.Call().key("lease", key).arg("value", grant.value()))
        .map(reply -> reply.toInteger() == 1);
  }

  /**
   * After a write in {@code mesh} was fenced out: moves the epoch past the newest token that mesh
   * saw, so that the next acquisition is not fenced out too. Harmless when a genuinely newer holder
   * exists (the epoch is already past it). Answers the newest token the mesh saw (0 if none).
   */
  public Uni<Long> catchUpWith(String mesh) {
    return redis
        .send(Request.cmd(Command.GET).arg(keys.fence(mesh, name)))
        .flatMap(
            newest -> {
              long token = newest == null ? 0 : newest.toLong();
              if (token == 0) {
                return Uni.createFrom().item(0L);
              }
              return RAISE_EPOCH
                  .run(
                      redis,
                      new LuaScript.Call().key("epoch", keys.leaseEpoch(name)).arg("newest", token))
                  .replaceWith(token);
            });
  }

  /** Who holds the lease now ("holder#token"), if anyone. */
  public Uni<Optional<String>> currentValue() {
    return redis
        .send(Request.cmd(Command.GET).arg(key))
        .map(reply -> Optional.ofNullable(reply).map(Object::toString));
  }
}

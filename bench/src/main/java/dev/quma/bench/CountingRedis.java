package dev.quma.bench;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Redis client that counts what its user sends: round trips (a command alone or a pipeline) and
 * commands (each command of a pipeline counts). Commands that Lua scripts run inside Redis are not
 * seen here; Redis' own INFO commandstats counts those.
 */
final class CountingRedis implements Redis {
  private final Redis delegate;
  private final AtomicLong roundTrips = new AtomicLong();
  private final AtomicLong commands = new AtomicLong();

  CountingRedis(Redis delegate) {
    this.delegate = delegate;
  }

  long roundTrips() {
    return roundTrips.get();
  }

  long commands() {
    return commands.get();
  }

  void reset() {
    roundTrips.set(0);
    commands.set(0);
  }

  @Override
  public Future<RedisConnection> connect() {
    throw new UnsupportedOperationException("connections are not counted; use send or batch");
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public Future<Response> send(Request request) {
    roundTrips.incrementAndGet();
    commands.incrementAndGet();
    return delegate.send(request);
  }

  @Override
  public Future<List<Response>> batch(List<Request> requests) {
    roundTrips.incrementAndGet();
    commands.addAndGet(requests.size());
    return delegate.batch(requests);
  }
}

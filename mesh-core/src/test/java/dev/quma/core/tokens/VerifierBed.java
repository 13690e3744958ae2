package dev.quma.core.tokens;

import static dev.quma.core.testing.Fixtures.dataplane;
import static dev.quma.core.testing.Fixtures.mesh;
import static dev.quma.core.tokens.TestTokens.await;

import dev.quma.core.events.ChangeStream;
import dev.quma.core.model.Dataplane;
import dev.quma.core.model.Resource;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.StoreSettings;
import dev.quma.testing.MutableClock;
import io.vertx.mutiny.redis.client.Redis;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the verifier tests stand on, in a Redis of their own: meshes {@code default}, {@code other}
 * and {@code keyless}, the seed's dataplane {@code redis-1} of {@code default} (service {@code
 * redis}), signing keys, and a verifier on a clock the test moves.
 */
final class VerifierBed {
  static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  static final Map<String, List<String>> REDIS_TAGS = Map.of("kuma.io/service", List.of("redis"));

  final MutableClock clock = new MutableClock(NOW);
  final ResourceStore store;
  final SigningKeyManager keys;
  final DataplaneTokenVerifier verifier;
  final Dataplane redis1;

  VerifierBed(Redis client) {
    store = new ResourceStore(client, StoreSettings.DEFAULTS);
    ChangeStream changes = new ChangeStream(client, store.keys());
    for (String name : List.of("default", "other", "keyless")) {
      await(store.create(mesh(name)));
    }
    Resource<Dataplane> dp = dataplane("default", "redis-1", "redis", "192.168.0.1", 9000);
    await(store.create(dp));
    redis1 = dp.spec();
    keys = new SigningKeyManager(store, changes, Optional.empty());
    verifier = new DataplaneTokenVerifier(store, changes, clock);
  }
}

package dev.quma.core.tokens;

import static dev.quma.core.testing.Fixtures.mesh;
import static dev.quma.core.tokens.TestTokens.await;
import static dev.quma.core.tokens.TestTokens.claims;
import static dev.quma.core.tokens.TestTokens.issue;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.core.events.ChangeStream;
import dev.quma.core.model.ProxyType;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.StoreSettings;
import dev.quma.testing.PrivateRedis;
import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Many verifications and fresh reads of one mesh at once, while its revocation list changes: every
 * call completes (none waits on a refresh that is gone), and the last revocations are seen.
 */
class TokenStateCacheConcurrencyTest {
  @RegisterExtension static PrivateRedis redis = new PrivateRedis();

  @Test
  void concurrentCallersAllCompleteWhileTheStateChanges() {
    ResourceStore store = new ResourceStore(redis.client(), StoreSettings.DEFAULTS);
    ChangeStream changes = new ChangeStream(redis.client(), store.keys());
    await(store.create(mesh("default")));
    SigningKeyManager keys = new SigningKeyManager(store, changes, Optional.empty());
    DataplaneTokenVerifier verifier =
        new DataplaneTokenVerifier(
            store,
            changes,
            Clock.systemUTC(),
            new VerifierSettings(Duration.ofSeconds(30), Duration.ZERO));
    String token =
        issue(
            keys,
            claims(
                "default",
                "redis-1",
                Map.of("kuma.io/service", List.of("redis")),
                ProxyType.DATAPLANE,
                Instant.now()));
    TokenRevocations revocations = new TokenRevocations(store);

    for (int round = 0; round < 20; round++) {
      List<Uni<Object>> calls = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        calls.add(
            verifier.verify(token, "default", "redis-1", ProxyType.DATAPLANE, null).map(x -> x));
        calls.add(keys.keys("default").map(x -> x));
        if (i % 10 == 0) {
          calls.add(
              revocations.revoke("default", List.of(UUID.randomUUID().toString())).map(x -> x));
        }
      }
      Uni.join().all(calls).andFailFast().await().atMost(Duration.ofSeconds(20));
    }

    String last = UUID.randomUUID().toString();
    await(revocations.revoke("default", List.of(last)));
    assertThat(await(keys.keys("default"))).hasSize(1);
    DataplaneTokenClaims revoked =
        claims("default", "redis-1", Map.of(), ProxyType.DATAPLANE, Instant.now());
    String revokedToken = issue(keys, revoked);
    await(revocations.revoke("default", List.of(revoked.jti())));
    assertThat(
            verifier
                .verify(revokedToken, "default", "redis-1", ProxyType.DATAPLANE, null)
                .onFailure(TokenRefusedException.class)
                .recoverWithItem((VerifiedDataplaneToken) null)
                .await()
                .atMost(Duration.ofSeconds(10)))
        .as("with a zero refresh interval a revocation counts at once")
        .isNull();
  }
}

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
import dev.quma.core.tokens.TokenRefusedException.Reason;
import dev.quma.testing.PrivateRedis;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.redis.client.RedisOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A verifier on one replica follows what the token-service does on another, through Redis only: new
 * keys work at once, revocations and removals take effect within the refresh interval.
 */
class VerifierRefreshTest {
  @RegisterExtension static PrivateRedis redis = new PrivateRedis();

  private static final Duration REFRESH = Duration.ofMillis(200);
  private static final Map<String, List<String>> TAGS = Map.of("kuma.io/service", List.of("redis"));

  private Vertx vertx;
  private Redis otherConnection;
  private ResourceStore issuerStore;
  private SigningKeyManager issuerKeys;
  private DataplaneTokenVerifier verifier;

  @BeforeEach
  void twoReplicas() {
    issuerStore = new ResourceStore(redis.client(), StoreSettings.DEFAULTS);
    await(issuerStore.create(mesh("default")));
    issuerKeys =
        new SigningKeyManager(
            issuerStore, new ChangeStream(redis.client(), issuerStore.keys()), Optional.empty());

    vertx = Vertx.vertx();
    otherConnection =
        Redis.createClient(vertx, new RedisOptions().setConnectionString(redis.server().url()));
    ResourceStore verifierStore = new ResourceStore(otherConnection, StoreSettings.DEFAULTS);
    verifier =
        new DataplaneTokenVerifier(
            verifierStore,
            new ChangeStream(otherConnection, verifierStore.keys()),
            Clock.systemUTC(),
            new VerifierSettings(Duration.ofSeconds(30), REFRESH));
  }

  @AfterEach
  void close() {
    otherConnection.close();
    vertx.closeAndAwait();
  }

  @Test
  void aTokenOfAJustRotatedKeyVerifiesAtOnce() {
    await(verify(issueToken()));
    await(issuerKeys.rotate("default"));
    assertThat(await(verify(issueToken())).keySerial()).isEqualTo(2);
  }

  @Test
  void aRevocationElsewhereTakesEffectWithinTheRefreshInterval() {
    DataplaneTokenClaims claims =
        claims("default", "redis-1", TAGS, ProxyType.DATAPLANE, Instant.now());
    String token = issue(issuerKeys, claims);
    await(verify(token));

    await(new TokenRevocations(issuerStore).revoke("default", List.of(claims.jti())));

    assertThat(refusalWithin(token, Duration.ofSeconds(5))).isEqualTo(Reason.REVOKED);
  }

  @Test
  void aKeyRemovedElsewhereStopsVerifyingWithinTheRefreshInterval() {
    String token = issueToken();
    await(verify(token));
    await(issuerKeys.rotate("default"));

    await(issuerKeys.remove("default", 1));

    assertThat(refusalWithin(token, Duration.ofSeconds(5))).isEqualTo(Reason.UNKNOWN_SIGNING_KEY);
  }

  @Test
  void aStoreThatLostItsDataIsNoticedAlthoughNoEventSaysSo() {
    String token = issueToken();
    await(verify(token));

    redis.client().send(Request.cmd(Command.FLUSHALL)).await().atMost(Duration.ofSeconds(5));

    assertThat(refusalWithin(token, Duration.ofSeconds(5))).isEqualTo(Reason.UNKNOWN_SIGNING_KEY);
  }

  /**
   * Issue 15's reproduction: the store loses its data, the mesh and its first key are made again
   * (serial 1 again, at the same store versions, since the counters started over), and a token of
   * the new key verifies at once: on the issuing replica, which signs with the new key and not a
   * private key cached under the old one's name and version, and on the verifier, whose cached
   * state still holds the old key 1.
   */
  @Test
  void afterAWipeATokenOfTheNewKeyWithTheSameSerialVerifiesAtOnce() {
    String old = issueToken();
    assertThat(await(verify(old)).keySerial()).isEqualTo(1);

    redis.client().send(Request.cmd(Command.FLUSHALL)).await().atMost(Duration.ofSeconds(5));
    await(issuerStore.create(mesh("default")));
    String fresh = issueToken();

    assertThat(TestTokens.parts(fresh)[0]).isEqualTo(TestTokens.parts(old)[0]); // kid 1 again
    assertThat(await(verify(fresh)).keySerial()).isEqualTo(1);
    assertThat(refusalWithin(old, Duration.ofSeconds(5))).isEqualTo(Reason.BAD_SIGNATURE);
  }

  @Test
  void afterForgettingEverythingTheNewKeyIsReadFromTheStore() {
    await(verify(issueToken()));
    redis.client().send(Request.cmd(Command.FLUSHALL)).await().atMost(Duration.ofSeconds(5));
    await(issuerStore.create(mesh("default")));

    issuerKeys.forgetAll();
    verifier.forgetAll();

    assertThat(await(verify(issueToken())).keySerial()).isEqualTo(1);
  }

  private String issueToken() {
    return issue(
        issuerKeys, claims("default", "redis-1", TAGS, ProxyType.DATAPLANE, Instant.now()));
  }

  private io.smallrye.mutiny.Uni<VerifiedDataplaneToken> verify(String token) {
    return verifier.verify(token, "default", "redis-1", ProxyType.DATAPLANE, null);
  }

  /** Verifies until refused (or the time is up); the refusal's reason, or null. */
  private Reason refusalWithin(String token, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        await(verify(token));
      } catch (TokenRefusedException refused) {
        return refused.reason();
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    return null;
  }
}

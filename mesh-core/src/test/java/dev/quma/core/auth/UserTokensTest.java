package dev.quma.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quma.core.model.ResourceType;
import dev.quma.core.store.ListQuery;
import dev.quma.core.store.ResourceQueries;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.StoreSettings;
import dev.quma.testing.PrivateRedis;
import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class UserTokensTest {
  @RegisterExtension static PrivateRedis redis = new PrivateRedis();
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final ResourceStore store = new ResourceStore(redis.client(), StoreSettings.DEFAULTS);

  @Test
  void theAdminTokenIsCreatedOnceAcrossReplicasAndVerifiesAsAdmin() {
    UserTokens replicaA = new UserTokens(store, Clock.systemUTC());
    UserTokens replicaB = new UserTokens(store, Clock.systemUTC());
    await(
        Uni.join()
            .all(
                List.of(
                    replicaA.ensureAdminToken(Duration.ofDays(1)),
                    replicaB.ensureAdminToken(Duration.ofDays(1))))
            .andFailFast());
    await(replicaA.ensureAdminToken(Duration.ofDays(1)));

    var secrets =
        await(
            new ResourceQueries(store)
                .list(ResourceType.GLOBAL_SECRET, null, ListQuery.page(0, 10)));
    assertThat(secrets.items())
        .extracting(r -> r.name())
        .containsExactly(UserTokens.ADMIN_TOKEN_SECRET, UserTokens.SIGNING_KEY_SECRET);

    String token = await(replicaB.adminToken());
    Caller caller = await(replicaA.verify(token));
    assertThat(caller.name()).isEqualTo("admin");
    assertThat(caller.admin()).isTrue();
  }

  @Test
  void refusesExpiredTamperedUnsignedAndHmacTokens() throws Exception {
    UserTokens tokens = new UserTokens(store, Clock.systemUTC());
    String token = await(tokens.issue("ops", Set.of("team-a"), Duration.ofHours(1)));
    Caller ops = await(tokens.verify(token));
    assertThat(ops.admin()).isFalse();
    assertThat(ops.groups()).contains("team-a", Caller.AUTHENTICATED_GROUP);

    UserTokens later =
        new UserTokens(store, Clock.fixed(Instant.now().plus(Duration.ofHours(2)), ZoneOffset.UTC));
    assertThatThrownBy(() -> await(later.verify(token)))
        .isInstanceOf(InvalidTokenException.class)
        .hasMessage("the token has expired");

    String[] parts = token.split("\\.");
    String forgedClaims =
        b64(
            "{\"Name\":\"ops\",\"Groups\":[\"mesh-system:admin\"],\"exp\":"
                + (Instant.now().getEpochSecond() + 3600)
                + "}");
    assertThatThrownBy(() -> await(tokens.verify(parts[0] + "." + forgedClaims + "." + parts[2])))
        .isInstanceOf(InvalidTokenException.class)
        .hasMessage("the token's signature or claims are not valid");

    String none = b64("{\"alg\":\"none\",\"kid\":\"1\"}") + "." + forgedClaims + ".";
    assertThatThrownBy(() -> await(tokens.verify(none))).isInstanceOf(InvalidTokenException.class);

    // HS256 "signed" with the public key: the classic algorithm-confusion attack.
    String hsHeader = b64("{\"alg\":\"HS256\",\"kid\":\"1\"}");
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(
        new SecretKeySpec("any-public-key-bytes".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String hsSignature =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                mac.doFinal((hsHeader + "." + forgedClaims).getBytes(StandardCharsets.US_ASCII)));
    assertThatThrownBy(
            () -> await(tokens.verify(hsHeader + "." + forgedClaims + "." + hsSignature)))
        .isInstanceOf(InvalidTokenException.class);

    assertThatThrownBy(() -> await(tokens.verify("not-a-jwt")))
        .isInstanceOf(InvalidTokenException.class)
        .hasMessage("the token is not a well-formed JWT");
    String otherKid = b64("{\"alg\":\"RS256\",\"kid\":\"7\"}") + "." + parts[1] + "." + parts[2];
    assertThatThrownBy(() -> await(tokens.verify(otherKid)))
        .isInstanceOf(InvalidTokenException.class)
        .hasMessage("the token names an unknown signing key");
  }

  @Test
  void tokensCarryKumasHeaderAndClaims() {
    UserTokens tokens = new UserTokens(store, Clock.systemUTC());
    String token = await(tokens.issue("ops", Set.of("team-a"), Duration.ofHours(1)));
    String[] parts = token.split("\\.");
    // The members Kuma's header has; their order is the library's (JSON objects are unordered).
    assertThat(json(parts[0])).isEqualTo(Map.of("alg", "RS256", "kid", "1", "typ", "JWT"));
    assertThat(decode(parts[1]))
        .startsWith("{\"Name\":\"ops\",\"Groups\":[\"team-a\"],\"iat\":")
        .contains("\"nbf\":", "\"exp\":", "\"jti\":");
  }

  @Test
  void refusesCriticalHeadersPaddingAndADoubledSignature() {
    UserTokens tokens = new UserTokens(store, Clock.systemUTC());
    String token = await(tokens.issue("ops", Set.of("team-a"), Duration.ofHours(1)));
    String[] parts = token.split("\\.");
    String crit =
        b64("{\"alg\":\"RS256\",\"kid\":\"1\",\"crit\":[\"b64\"],\"b64\":false}")
            + "."
            + parts[1]
            + "."
            + parts[2];
    assertThatThrownBy(() -> await(tokens.verify(crit)))
        .isInstanceOf(InvalidTokenException.class)
        .hasMessage("the token's signature or claims are not valid");
    for (String bent : List.of(token + "==", token + parts[2], token + "!")) {
      assertThatThrownBy(() -> await(tokens.verify(bent)))
          .as(bent)
          .isInstanceOf(InvalidTokenException.class);
    }
  }

  @Test
  void signingKeysAreStoredAsKumasPkcs1PemAndReadBack() {
    var key = PemKeys.generate(2048);
    String pem = PemKeys.toPkcs1Pem(key);
    assertThat(pem).startsWith("-----BEGIN RSA PRIVATE KEY-----\n");
    assertThat(PemKeys.parsePrivateKey(pem)).isEqualTo(key);
    String pkcs8 =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder().encodeToString(key.getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    assertThat(PemKeys.parsePrivateKey(pkcs8)).isEqualTo(key);
    assertThat(PemKeys.publicKeyOf(key).getModulus()).isEqualTo(key.getModulus());
  }

  private static Map<String, Object> json(String part) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper()
          .readValue(Base64.getUrlDecoder().decode(part), Map.class);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String decode(String part) {
    return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static <T> T await(Uni<T> uni) {
    return uni.await().atMost(WAIT);
  }
}

package dev.quma.core.tokens;

import static dev.quma.core.testing.Fixtures.mesh;
import static dev.quma.core.tokens.TestTokens.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.core.auth.PemKeys;
import dev.quma.core.events.ChangeStream;
import dev.quma.core.model.ProxyType;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceMeta;
import dev.quma.core.model.ResourceType;
import dev.quma.core.model.SecretData;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.StoreSettings;
import dev.quma.core.testing.PrivateRedis;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPrivateCrtKey;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tokens cross over: one signed elsewhere (here by jose4j, an independent JWT library, shaped as
 * Kuma's Go code shapes them) with a key stored as Kuma stores it verifies here, and ours verify
 * there.
 */
class KumaCompatibilityTest {
  @RegisterExtension static PrivateRedis redis = new PrivateRedis();

  private ResourceStore store;
  private ChangeStream changes;

  @BeforeEach
  void defaultMesh() {
    store = new ResourceStore(redis.client(), StoreSettings.DEFAULTS);
    changes = new ChangeStream(redis.client(), store.keys());
    await(store.create(mesh("default")));
  }

  @Test
  void aKumaShapedTokenVerifiesHere() throws Exception {
    RSAPrivateCrtKey key = PemKeys.generate(2048);
    await(
        store.create(
            new Resource<>(
                ResourceMeta.of(
                    ResourceType.SECRET,
                    "default",
                    "dataplane-token-signing-key-default-1",
                    Map.of()),
                new SecretData(
                    Base64.getEncoder()
                        .encodeToString(
                            PemKeys.toPkcs1Pem(key).getBytes(StandardCharsets.US_ASCII))))));
    JwtClaims claims = new JwtClaims();
    claims.setClaim("Name", "redis-1");
    claims.setClaim("Mesh", "default");
    claims.setClaim("Tags", Map.of("kuma.io/service", List.of("redis")));
    claims.setClaim("Type", "dataplane");
    claims.setClaim("Workload", "");
    long now = Instant.now().getEpochSecond();
    claims.setExpirationTime(NumericDate.fromSeconds(now + 3600));
    claims.setNotBefore(NumericDate.fromSeconds(now - 300));
    claims.setIssuedAt(NumericDate.fromSeconds(now));
    String jti = UUID.randomUUID().toString();
    claims.setJwtId(jti);
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(claims.toJson());
    jws.setKey(key);
    jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
    jws.setKeyIdHeaderValue("1");
    jws.setHeader("typ", "JWT");

    VerifiedDataplaneToken verified =
        await(
            new DataplaneTokenVerifier(store, changes, Clock.systemUTC())
                .verify(
                    jws.getCompactSerialization(),
                    "default",
                    "redis-1",
                    ProxyType.DATAPLANE,
                    null));

    assertThat(verified.jti()).isEqualTo(jti);
    assertThat(verified.tags()).isEqualTo(Map.of("kuma.io/service", List.of("redis")));
  }

  @Test
  void ourTokensVerifyElsewhereWithKumasClaimNames() throws Exception {
    SigningKeyManager keys = new SigningKeyManager(store, changes, Optional.empty());
    DataplaneTokenClaims claims =
        TestTokens.claims(
            "default",
            "redis-1",
            Map.of("kuma.io/service", List.of("redis")),
            ProxyType.DATAPLANE,
            Instant.now());
    String token = TestTokens.issue(keys, claims);
    var publicKey = await(keys.keys("default")).get(0).publicKey();

    JwtContext context =
        new JwtConsumerBuilder()
            .setVerificationKey(publicKey)
            .setJwsAlgorithmConstraints(
                AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256)
            .setRequireExpirationTime()
            .setRequireJwtId()
            .setSkipDefaultAudienceValidation()
            .build()
            .process(token);

    JwtClaims read = context.getJwtClaims();
    assertThat(context.getJoseObjects().get(0).getKeyIdHeaderValue()).isEqualTo("1");
    assertThat(context.getJoseObjects().get(0).getHeader("typ")).isEqualTo("JWT");
    assertThat(read.getClaimValueAsString("Name")).isEqualTo("redis-1");
    assertThat(read.getClaimValueAsString("Mesh")).isEqualTo("default");
    assertThat(read.getClaimValueAsString("Type")).isEqualTo("dataplane");
    assertThat(read.getClaimValue("Tags")).isEqualTo(Map.of("kuma.io/service", List.of("redis")));
    assertThat(read.getJwtId()).isEqualTo(claims.jti());
    assertThat(read.getExpirationTime().getValue()).isEqualTo(claims.expiresAt().getEpochSecond());
    assertThat(read.getNotBefore().getValue()).isEqualTo(claims.notBefore().getEpochSecond());
    assertThat(read.getIssuedAt().getValue()).isEqualTo(claims.issuedAt().getEpochSecond());
  }
}

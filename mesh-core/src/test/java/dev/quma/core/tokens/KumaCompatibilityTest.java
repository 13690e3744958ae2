package dev.quma.core.tokens;

import static dev.quma.core.testing.Fixtures.mesh;
import static dev.quma.core.tokens.TestTokens.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quma.core.auth.PemKeys;
import dev.quma.core.events.ChangeStream;
import dev.quma.core.model.ProxyType;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceMeta;
import dev.quma.core.model.ResourceType;
import dev.quma.core.model.SecretData;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.StoreSettings;
import dev.quma.testing.PrivateRedis;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Tokens cross over: one made elsewhere (here byte for byte as Kuma's Go code writes them, signed
 * with the JDK's RSA, independent of the JWT library the control plane uses) with a key stored as
 * Kuma stores it verifies here, and ours check out with the JDK's RSA and Kuma's claim names.
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
    long now = Instant.now().getEpochSecond();
    String jti = UUID.randomUUID().toString();
    // Byte for byte as Kuma's Go code writes them: header members sorted, claims in struct order.
    String header = "{\"alg\":\"RS256\",\"kid\":\"1\",\"typ\":\"JWT\"}";
    String payload =
        "{\"Name\":\"redis-1\",\"Mesh\":\"default\",\"Tags\":{\"kuma.io/service\":[\"redis\"]},"
            + "\"Type\":\"dataplane\",\"Workload\":\"\",\"exp\":"
            + (now + 3600)
            + ",\"nbf\":"
            + (now - 300)
            + ",\"iat\":"
            + now
            + ",\"jti\":\""
            + jti
            + "\"}";
    String signingInput = TestTokens.base64url(header) + "." + TestTokens.base64url(payload);
    Signature rs256 = Signature.getInstance("SHA256withRSA");
    rs256.initSign(key);
    rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    String kumaToken =
        signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rs256.sign());

    VerifiedDataplaneToken verified =
        await(
            new DataplaneTokenVerifier(store, changes, Clock.systemUTC())
                .verify(kumaToken, "default", "redis-1", ProxyType.DATAPLANE, null));

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

    String[] parts = TestTokens.parts(token);
    Signature rs256 = Signature.getInstance("SHA256withRSA");
    rs256.initVerify(publicKey);
    rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    assertThat(rs256.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();

    ObjectMapper json = new ObjectMapper();
    JsonNode header = json.readTree(Base64.getUrlDecoder().decode(parts[0]));
    assertThat(header.get("alg").textValue()).isEqualTo("RS256");
    assertThat(header.get("kid").textValue()).isEqualTo("1");
    assertThat(header.get("typ").textValue()).isEqualTo("JWT");
    assertThat(header.size()).isEqualTo(3);
    JsonNode read = json.readTree(Base64.getUrlDecoder().decode(parts[1]));
    assertThat(read.fieldNames())
        .toIterable()
        .containsExactly("Name", "Mesh", "Tags", "Type", "Workload", "exp", "nbf", "iat", "jti");
    assertThat(read.get("Name").textValue()).isEqualTo("redis-1");
    assertThat(read.get("Mesh").textValue()).isEqualTo("default");
    assertThat(read.get("Type").textValue()).isEqualTo("dataplane");
    assertThat(read.get("Tags").get("kuma.io/service").get(0).textValue()).isEqualTo("redis");
    assertThat(read.get("jti").textValue()).isEqualTo(claims.jti());
    assertThat(read.get("exp").longValue()).isEqualTo(claims.expiresAt().getEpochSecond());
    assertThat(read.get("nbf").longValue()).isEqualTo(claims.notBefore().getEpochSecond());
    assertThat(read.get("iat").longValue()).isEqualTo(claims.issuedAt().getEpochSecond());
  }
}

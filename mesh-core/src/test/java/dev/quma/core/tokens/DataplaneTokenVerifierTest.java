package dev.quma.core.tokens;

import static dev.quma.core.tokens.TestTokens.await;
import static dev.quma.core.tokens.TestTokens.base64url;
import static dev.quma.core.tokens.TestTokens.claims;
import static dev.quma.core.tokens.TestTokens.issue;
import static dev.quma.core.tokens.TestTokens.parts;
import static dev.quma.core.tokens.VerifierBed.NOW;
import static dev.quma.core.tokens.VerifierBed.REDIS_TAGS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.quma.core.model.Dataplane;
import dev.quma.core.model.ProxyType;
import dev.quma.core.tokens.TokenRefusedException.Reason;
import dev.quma.testing.PrivateRedis;
import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every way a dataplane token is accepted or refused, against a real Redis: each refusal has its
 * own reason, and only refusals of genuine tokens of someone else are "forbidden".
 */
class DataplaneTokenVerifierTest {
  @RegisterExtension static PrivateRedis redis = new PrivateRedis();

  private VerifierBed bed;

  @BeforeEach
  void aBed() {
    bed = new VerifierBed(redis.client());
  }

  @Test
  void aGoodTokenPassesAndSaysWhatItBinds() {
    DataplaneTokenClaims claims =
        claims("default", "redis-1", REDIS_TAGS, ProxyType.DATAPLANE, NOW);
    String token = issue(bed.keys, claims);

    VerifiedDataplaneToken verified = await(verifyAsRedis1(token));

    assertThat(verified.jti()).isEqualTo(claims.jti());
    assertThat(verified.mesh()).isEqualTo("default");
    assertThat(verified.name()).isEqualTo("redis-1");
    assertThat(verified.tags()).isEqualTo(REDIS_TAGS);
    assertThat(verified.type()).isEqualTo(ProxyType.DATAPLANE);
    assertThat(verified.keySerial()).isEqualTo(1);
    assertThat(verified.issuedAt()).isEqualTo(NOW);
    assertThat(verified.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(1)));
  }

  @Test
  void aTokenThatBindsOnlyTheMeshFitsAnyProxyOfIt() {
    String token = issue(bed.keys, claims("default", "", Map.of(), null, NOW));
    VerifiedDataplaneToken verified =
        await(bed.verifier.verify(token, "default", "anything", ProxyType.INGRESS, null));
    assertThat(verified.name()).isNull();
    assertThat(verified.type()).isNull();
  }

  @Test
  void anExpiredTokenIsRefused() {
    String token =
        issue(bed.keys, claims("default", "redis-1", REDIS_TAGS, ProxyType.DATAPLANE, NOW));
    bed.clock.advance(Duration.ofHours(1).plusSeconds(29));
    await(verifyAsRedis1(token)); // within the bed.clock skew

    bed.clock.advance(Duration.ofSeconds(2));
    assertRefused(verifyAsRedis1(token), Reason.EXPIRED, false)
        .hasMessageContaining("expired at 2026-11-23T13:00:00Z");
  }

  @Test
  void aTokenNotYetValidIsRefused() {
    Instant later = NOW.plus(Duration.ofHours(2));
    String token =
        issue(bed.keys, claims("default", "redis-1", REDIS_TAGS, ProxyType.DATAPLANE, later));
    assertRefused(verifyAsRedis1(token), Reason.NOT_YET_VALID, false)
        .hasMessageContaining("not valid before " + later);
  }

  @Test
  void aRevokedTokenIsRefused() {
    DataplaneTokenClaims claims =
        claims("default", "redis-1", REDIS_TAGS, ProxyType.DATAPLANE, NOW);
    String token = issue(bed.keys, claims);
    await(verifyAsRedis1(token));

    await(new TokenRevocations(bed.store).revoke("default", List.of(claims.jti())));
    bed.verifier.invalidate("default");

    assertRefused(verifyAsRedis1(token), Reason.REVOKED, false).hasMessageContaining(claims.jti());
  }

  @Test
  void aTokenOfAnotherMeshIsForbidden() {
    String token =
        issue(bed.keys, claims("other", "redis-1", REDIS_TAGS, ProxyType.DATAPLANE, NOW));
    assertRefused(verifyAsRedis1(token), Reason.WRONG_MESH, true)
        .hasMessage(
            "the dataplane token is for mesh \"other\", but the proxy is in mesh \"default\"");
  }

  @Test
  void aTokenOfAnotherDataplaneIsForbidden() {
    String token =
        issue(bed.keys, claims("default", "redis-2", REDIS_TAGS, ProxyType.DATAPLANE, NOW));
    assertRefused(verifyAsRedis1(token), Reason.WRONG_NAME, true)
        .hasMessage("the dataplane token is for the proxy \"redis-2\", not \"redis-1\"");
  }

  @Test
  void aTokenBoundToATagTheDataplaneLacksIsForbidden() {
    String token =
        issue(
            bed.keys,
            claims(
                "default",
                "redis-1",
                Map.of("kuma.io/service", List.of("redis"), "team", List.of("storage")),
                ProxyType.DATAPLANE,
                NOW));
    assertRefused(verifyAsRedis1(token), Reason.MISSING_TAGS, true)
        .hasMessage(
            "inbound 0 (port 9000) of the dataplane has no tag \"team\", which the token requires");
  }

  @Test
  void aTokenThatDoesNotAllowTheDataplanesTagValueIsForbidden() {
    String token =
        issue(
            bed.keys,
            claims(
                "default",
                "redis-1",
                Map.of("kuma.io/service", List.of("web", "web-api")),
                ProxyType.DATAPLANE,
                NOW));
    assertRefused(verifyAsRedis1(token), Reason.TAG_VALUE_NOT_ALLOWED, true)
        .hasMessageContaining("kuma.io/service=redis, which the token does not allow")
        .hasMessageContaining("allowed: web, web-api");
  }

  @Test
  void everyInboundMustCarryTheBoundTags() {
    Dataplane twoInbounds =
        dev.quma.core.codec.ResourceCodec.instance()
            .<Dataplane>decode(
                """
                type: Dataplane
                mesh: default
                name: redis-1
                networking:
                  address: 192.168.0.1
                  inbound:
                  - port: 9000
                    tags: {kuma.io/service: redis}
                  - port: 9001
                    tags: {kuma.io/service: redis-admin}
                """
                    .getBytes(StandardCharsets.UTF_8),
                dev.quma.core.codec.Format.YAML,
                dev.quma.core.model.ResourceType.DATAPLANE)
            .toResource(dev.quma.core.model.ResourceType.DATAPLANE)
            .spec();
    String onlyRedis =
        issue(bed.keys, claims("default", "redis-1", REDIS_TAGS, ProxyType.DATAPLANE, NOW));
    assertRefused(
            bed.verifier.verify(onlyRedis, "default", "redis-1", ProxyType.DATAPLANE, twoInbounds),
            Reason.TAG_VALUE_NOT_ALLOWED,
            true)
        .hasMessageStartingWith("inbound 1 (port 9001)");

    String both =
        issue(
            bed.keys,
            claims(
                "default",
                "redis-1",
                Map.of("kuma.io/service", List.of("redis", "redis-admin")),
                ProxyType.DATAPLANE,
                NOW));
    await(bed.verifier.verify(both, "default", "redis-1", ProxyType.DATAPLANE, twoInbounds));
  }

  @Test
  void aTokenForAnotherProxyTypeIsForbidden() {
    String token =
        issue(bed.keys, claims("default", "redis-1", REDIS_TAGS, ProxyType.INGRESS, NOW));
    assertRefused(verifyAsRedis1(token), Reason.WRONG_TYPE, true)
        .hasMessage("the dataplane token is for proxies of type \"ingress\", not \"dataplane\"");
  }

  @Test
  void aTokenSignedByARemovedKeyIsRefused() {
    String token =
        issue(bed.keys, claims("default", "redis-1", REDIS_TAGS, ProxyType.DATAPLANE, NOW));
    await(verifyAsRedis1(token));
    await(bed.keys.rotate("default"));
    await(bed.keys.remove("default", 1));
    bed.verifier.invalidate("default");

    assertRefused(verifyAsRedis1(token), Reason.UNKNOWN_SIGNING_KEY, false)
        .hasMessageContaining("signing key 1 of mesh \"default\", which does not exist");
  }

  @Test
  void anUnsignedTokenIsRefused() {
    String[] genuine = parts(issue(bed.keys, redis1Claims()));
    String unsigned = base64url("{\"alg\":\"none\",\"kid\":\"1\"}") + "." + genuine[1] + ".";
    assertRefused(verifyAsRedis1(unsigned), Reason.UNSIGNED, false);
  }

  @Test
  void aTokenReSignedWithHs256UsingThePublicKeyIsRefused() {
    String[] genuine = parts(issue(bed.keys, redis1Claims()));
    String publicKeyPem =
        dev.quma.core.auth.PemKeys.toPublicPem(await(bed.keys.keys("default")).get(0).publicKey());
    String signingInput =
        base64url("{\"alg\":\"HS256\",\"kid\":\"1\",\"typ\":\"JWT\"}") + "." + genuine[1];
    String forged = signingInput + "." + TestTokens.hs256(signingInput, publicKeyPem);

    assertRefused(verifyAsRedis1(forged), Reason.UNSUPPORTED_ALGORITHM, false)
        .hasMessage("the dataplane token is signed with \"HS256\"; only RS256 is accepted");
  }

  @Test
  void aTruncatedTokenIsRefusedAsMalformed() {
    String token = issue(bed.keys, redis1Claims());
    assertRefused(verifyAsRedis1(token.substring(0, token.length() - 12)), Reason.MALFORMED, false)
        .hasMessageContaining("signature");
    assertRefused(verifyAsRedis1(token.substring(0, token.length() / 2)), Reason.MALFORMED, false);
    assertRefused(verifyAsRedis1(""), Reason.MALFORMED, false);
    assertRefused(verifyAsRedis1("not a token"), Reason.MALFORMED, false);
  }

  @Test
  void anAlteredTokenHasABadSignature() {
    String[] genuine = parts(issue(bed.keys, claims("default", "redis-2", REDIS_TAGS, null, NOW)));
    String payload =
        new String(java.util.Base64.getUrlDecoder().decode(genuine[1]), StandardCharsets.UTF_8)
            .replace("redis-2", "redis-1");
    String altered = genuine[0] + "." + base64url(payload) + "." + genuine[2];
    assertRefused(verifyAsRedis1(altered), Reason.BAD_SIGNATURE, false)
        .hasMessageContaining("does not match signing key 1 of mesh \"default\"");
  }

  @Test
  void aTokenWithoutKeyIdIsRefused() {
    String[] genuine = parts(issue(bed.keys, redis1Claims()));
    String noKid =
        base64url("{\"alg\":\"RS256\",\"typ\":\"JWT\"}") + "." + genuine[1] + "." + genuine[2];
    assertRefused(verifyAsRedis1(noKid), Reason.MISSING_KEY_ID, false);
  }

  @Test
  void refusalsNeverCarryKeyMaterial() {
    String token =
        issue(bed.keys, claims("other", "redis-1", REDIS_TAGS, ProxyType.DATAPLANE, NOW));
    String modulus =
        await(bed.keys.keys("other")).get(0).publicKey().getModulus().toString(16).substring(0, 16);
    for (String attempt :
        List.of(token, token.substring(0, 40), token.replace('A', 'B'), token + "x")) {
      Throwable refusal =
          catchThrowableOfType(() -> await(verifyAsRedis1(attempt)), TokenRefusedException.class);
      assertThat(refusal.getMessage())
          .doesNotContain("PRIVATE KEY")
          .doesNotContain("PUBLIC KEY")
          .doesNotContainIgnoringCase(modulus);
    }
  }

  private DataplaneTokenClaims redis1Claims() {
    return claims("default", "redis-1", REDIS_TAGS, ProxyType.DATAPLANE, NOW);
  }

  private Uni<VerifiedDataplaneToken> verifyAsRedis1(String token) {
    return bed.verifier.verify(token, "default", "redis-1", ProxyType.DATAPLANE, bed.redis1);
  }

  private static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable> assertRefused(
      Uni<VerifiedDataplaneToken> verification, Reason reason, boolean forbidden) {
    TokenRefusedException refusal =
        catchThrowableOfType(() -> await(verification), TokenRefusedException.class);
    assertThat(refusal).as("refused with %s", reason).isNotNull();
    assertThat(refusal.reason()).isEqualTo(reason);
    assertThat(refusal.forbidden()).isEqualTo(forbidden);
    return assertThat((Throwable) refusal);
  }
}

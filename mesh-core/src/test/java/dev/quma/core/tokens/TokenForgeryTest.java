package dev.quma.core.tokens;

import static dev.quma.core.tokens.TestTokens.await;
import static dev.quma.core.tokens.TestTokens.base64url;
import static dev.quma.core.tokens.TestTokens.claims;
import static dev.quma.core.tokens.TestTokens.hs256;
import static dev.quma.core.tokens.TestTokens.issue;
import static dev.quma.core.tokens.TestTokens.parts;
import static dev.quma.core.tokens.VerifierBed.NOW;
import static dev.quma.core.tokens.VerifierBed.REDIS_TAGS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.quma.core.auth.PemKeys;
import dev.quma.core.model.ProxyType;
import dev.quma.core.tokens.TokenRefusedException.Reason;
import dev.quma.testing.PrivateRedis;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The forgery suite: tokens bent every way an attacker (or a broken client) bends them, each
 * refused with its own reason by the verifier on smallrye-jwt. The header attacks are also tried in
 * a mesh that has no signing key at all: they are refused for their header, which shows that they
 * are judged before any key is looked up.
 */
class TokenForgeryTest {
  @RegisterExtension static PrivateRedis redis = new PrivateRedis();

  private VerifierBed bed;

  private record Refusal(Reason reason, String messagePart) {}

  @BeforeEach
  void aBed() {
    bed = new VerifierBed(redis.client());
  }

  @Test
  void everyForgeryIsRefusedWithItsReason() {
    String genuine = issue(bed.keys, redis1Claims(NOW));
    String[] part = parts(genuine);
    String publicPem = PemKeys.toPublicPem(await(bed.keys.keys("default")).get(0).publicKey());
    String hsInput = base64url("{\"alg\":\"HS256\",\"kid\":\"1\",\"typ\":\"JWT\"}") + "." + part[1];

    Map<String, String> forged = new LinkedHashMap<>();
    Map<String, Refusal> expected = new LinkedHashMap<>();
    forged.put("alg none", base64url("{\"alg\":\"none\",\"kid\":\"1\"}") + "." + part[1] + ".");
    expected.put("alg none", new Refusal(Reason.UNSIGNED, "not signed (alg \"none\")"));
    forged.put(
        "alg None, with the genuine signature",
        base64url("{\"alg\":\"None\",\"kid\":\"1\"}") + "." + part[1] + "." + part[2]);
    expected.put("alg None, with the genuine signature", new Refusal(Reason.UNSIGNED, "RS256"));
    forged.put("HS256 keyed with the public key", hsInput + "." + hs256(hsInput, publicPem));
    expected.put(
        "HS256 keyed with the public key",
        new Refusal(Reason.UNSUPPORTED_ALGORITHM, "signed with \"HS256\"; only RS256"));
    forged.put("RS512", withHeader("{\"alg\":\"RS512\",\"kid\":\"1\",\"typ\":\"JWT\"}", part));
    expected.put("RS512", new Refusal(Reason.UNSUPPORTED_ALGORITHM, "\"RS512\""));
    forged.put(
        "crit (b64: false)",
        withHeader("{\"alg\":\"RS256\",\"kid\":\"1\",\"crit\":[\"b64\"],\"b64\":false}", part));
    expected.put("crit (b64: false)", new Refusal(Reason.MALFORMED, "critical extensions (crit)"));
    forged.put(
        "crit naming an unknown header",
        withHeader("{\"alg\":\"RS256\",\"kid\":\"1\",\"crit\":[\"exp\"],\"exp\":1}", part));
    expected.put(
        "crit naming an unknown header", new Refusal(Reason.MALFORMED, "critical extensions"));
    forged.put("no kid", withHeader("{\"alg\":\"RS256\",\"typ\":\"JWT\"}", part));
    expected.put("no kid", new Refusal(Reason.MISSING_KEY_ID, "no key id"));
    forged.put("numeric kid", withHeader("{\"alg\":\"RS256\",\"kid\":1}", part));
    expected.put("numeric kid", new Refusal(Reason.MISSING_KEY_ID, "not the serial number"));
    forged.put("kid with a path", withHeader("{\"alg\":\"RS256\",\"kid\":\"../1\"}", part));
    expected.put("kid with a path", new Refusal(Reason.MISSING_KEY_ID, "not the serial number"));
    forged.put(
        "unknown kid", withHeader("{\"alg\":\"RS256\",\"kid\":\"7\",\"typ\":\"JWT\"}", part));
    expected.put(
        "unknown kid",
        new Refusal(Reason.UNKNOWN_SIGNING_KEY, "signing key 7 of mesh \"default\", which does"));
    forged.put("truncated", genuine.substring(0, genuine.length() - 12));
    expected.put("truncated", new Refusal(Reason.MALFORMED, "(truncated?)"));
    forged.put("cut in the payload", genuine.substring(0, genuine.indexOf('.') + 20));
    expected.put("cut in the payload", new Refusal(Reason.MALFORMED, "three base64url parts"));
    forged.put("padded signature", genuine + "==");
    expected.put("padded signature", new Refusal(Reason.MALFORMED, "signature is padded"));
    forged.put("padded payload", part[0] + "." + part[1] + "=." + part[2]);
    expected.put("padded payload", new Refusal(Reason.MALFORMED, "payload is padded"));
    forged.put(
        "stray character in the signature",
        genuine.substring(0, genuine.length() - 10)
            + "!"
            + genuine.substring(genuine.length() - 10));
    expected.put(
        "stray character in the signature",
        new Refusal(Reason.MALFORMED, "signature is not valid base64url"));
    forged.put("doubled signature", genuine + part[2]);
    expected.put("doubled signature", new Refusal(Reason.MALFORMED, "(truncated?)"));
    forged.put("a fourth part", genuine + "." + part[2]);
    expected.put("a fourth part", new Refusal(Reason.MALFORMED, "three base64url parts"));
    forged.put("header not JSON", base64url("alg=RS256") + "." + part[1] + "." + part[2]);
    expected.put("header not JSON", new Refusal(Reason.MALFORMED, "header is not a JSON object"));
    forged.put("payload not JSON", part[0] + "." + base64url("Name=redis-1") + "." + part[2]);
    expected.put("payload not JSON", new Refusal(Reason.MALFORMED, "payload is not JSON"));
    forged.put("altered payload", part[0] + "." + alteredPayload(part[1]) + "." + part[2]);
    expected.put(
        "altered payload",
        new Refusal(Reason.BAD_SIGNATURE, "does not match signing key 1 of mesh \"default\""));

    bed.clock.set(NOW);
    forged.forEach(
        (what, token) ->
            assertRefused(
                what, token, expected.get(what).reason(), expected.get(what).messagePart()));
  }

  @Test
  void headerAttacksAreRefusedBeforeAnyKeyIsLookedUp() {
    String payload =
        base64url(
            new String(
                    Base64.getUrlDecoder().decode(parts(issue(bed.keys, redis1Claims(NOW)))[1]),
                    StandardCharsets.UTF_8)
                .replace("\"Mesh\":\"default\"", "\"Mesh\":\"keyless\""));
    String hsInput = base64url("{\"alg\":\"HS256\",\"kid\":\"1\"}") + "." + payload;
    Map<String, Reason> attacks = new LinkedHashMap<>();
    attacks.put(
        base64url("{\"alg\":\"none\",\"kid\":\"1\"}") + "." + payload + ".", Reason.UNSIGNED);
    attacks.put(hsInput + "." + hs256(hsInput, "x"), Reason.UNSUPPORTED_ALGORITHM);
    attacks.put(
        base64url("{\"alg\":\"RS256\",\"kid\":\"1\",\"crit\":[\"b64\"]}") + "." + payload + ".AAAA",
        Reason.MALFORMED);
    attacks.forEach(
        (token, reason) -> {
          TokenRefusedException refusal =
              catchThrowableOfType(
                  () ->
                      await(
                          bed.verifier.verify(
                              token, "keyless", "redis-1", ProxyType.DATAPLANE, null)),
                  TokenRefusedException.class);
          assertThat(refusal.reason()).isEqualTo(reason);
        });
  }

  @Test
  void wrongKidOfAnotherExistingKeyHasABadSignature() {
    String genuine = issue(bed.keys, redis1Claims(NOW));
    await(bed.keys.rotate("default"));
    String[] part = parts(genuine);
    String asKey2 = withHeader("{\"alg\":\"RS256\",\"kid\":\"2\",\"typ\":\"JWT\"}", part);
    assertRefused("kid of another key", asKey2, Reason.BAD_SIGNATURE, "signing key 2");
  }

  @Test
  void genuineTokensOutOfTimeOrForSomeoneElseAreRefused() {
    String token = issue(bed.keys, redis1Claims(NOW));
    bed.clock.set(NOW.plus(Duration.ofHours(1)).plusSeconds(31));
    assertRefused("expired", token, Reason.EXPIRED, "expired at 2026-11-23T13:00:00Z");
    DataplaneTokenClaims issuedExpired =
        new DataplaneTokenClaims(
            "redis-1",
            "default",
            new java.util.TreeMap<>(REDIS_TAGS),
            "dataplane",
            "",
            java.util.UUID.randomUUID().toString(),
            NOW,
            NOW.minus(Duration.ofMinutes(5)),
            NOW.minus(Duration.ofHours(1)));
    assertRefused(
        "issued already expired (exp before iat)",
        issue(bed.keys, issuedExpired),
        Reason.EXPIRED,
        "expired at 2026-11-23T11:00:00Z");
    bed.clock.set(NOW.minus(Duration.ofMinutes(6)));
    assertRefused("not yet valid", token, Reason.NOT_YET_VALID, "not valid before");
    bed.clock.set(NOW);

    assertRefused(
        "another mesh",
        issue(bed.keys, claims("other", "redis-1", REDIS_TAGS, ProxyType.DATAPLANE, NOW)),
        Reason.WRONG_MESH,
        "for mesh \"other\"");
    assertRefused(
        "another name",
        issue(bed.keys, claims("default", "redis-2", REDIS_TAGS, ProxyType.DATAPLANE, NOW)),
        Reason.WRONG_NAME,
        "\"redis-2\", not \"redis-1\"");
    assertRefused(
        "other tags",
        issue(
            bed.keys,
            claims(
                "default",
                "redis-1",
                Map.of("kuma.io/service", List.of("web")),
                ProxyType.DATAPLANE,
                NOW)),
        Reason.TAG_VALUE_NOT_ALLOWED,
        "kuma.io/service=redis");
    assertRefused(
        "a tag the dataplane lacks",
        issue(
            bed.keys,
            claims("default", "redis-1", Map.of("team", List.of("a")), ProxyType.DATAPLANE, NOW)),
        Reason.MISSING_TAGS,
        "no tag \"team\"");
  }

  @Test
  void revokedTokensAndTokensOfARemovedKeyAreRefused() {
    DataplaneTokenClaims claims = redis1Claims(NOW);
    String revoked = issue(bed.keys, claims);
    String ofRemovedKey = issue(bed.keys, redis1Claims(NOW));
    await(bed.verifier.verify(revoked, "default", "redis-1", ProxyType.DATAPLANE, bed.redis1));

    await(new TokenRevocations(bed.store).revoke("default", List.of(claims.jti())));
    bed.verifier.invalidate("default");
    assertRefused("revoked", revoked, Reason.REVOKED, claims.jti());

    await(bed.keys.rotate("default"));
    await(bed.keys.remove("default", 1));
    bed.verifier.invalidate("default");
    assertRefused("of a removed key", ofRemovedKey, Reason.UNKNOWN_SIGNING_KEY, "signing key 1");
  }

  private void assertRefused(String what, String token, Reason reason, String messagePart) {
    TokenRefusedException refusal =
        catchThrowableOfType(
            () ->
                await(
                    bed.verifier.verify(
                        token, "default", "redis-1", ProxyType.DATAPLANE, bed.redis1)),
            TokenRefusedException.class);
    assertThat(refusal).as("%s is refused", what).isNotNull();
    assertThat(refusal.reason()).as(what).isEqualTo(reason);
    assertThat(refusal.getMessage()).as(what).contains(messagePart);
  }

  private static String withHeader(String header, String[] part) {
    return base64url(header) + "." + part[1] + "." + part[2];
  }

  private static String alteredPayload(String payload) {
    return base64url(
        new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8)
            .replace("\"Tags\":{", "\"Tags\":{\"team\":[\"ops\"],"));
  }

  private static DataplaneTokenClaims redis1Claims(Instant now) {
    return claims("default", "redis-1", REDIS_TAGS, ProxyType.DATAPLANE, now);
  }
}

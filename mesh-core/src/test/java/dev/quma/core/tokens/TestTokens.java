package dev.quma.core.tokens;

import dev.quma.core.model.ProxyType;
import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Builds and signs dataplane tokens the way the token-service does, for verifier tests. */
final class TestTokens {
  private TestTokens() {}

  static final Duration WAIT = Duration.ofSeconds(20);

  static DataplaneTokenClaims claims(
      String mesh, String name, Map<String, List<String>> tags, ProxyType type, Instant now) {
    return new DataplaneTokenClaims(
        name,
        mesh,
        new TreeMap<>(tags),
        type == null ? "" : type.wireName(),
        "",
        UUID.randomUUID().toString(),
        now,
        now.minus(Duration.ofMinutes(5)),
        now.plus(Duration.ofHours(1)));
  }

  static String issue(SigningKeyManager keys, DataplaneTokenClaims claims) {
    SigningKeyManager.SigningKey key = await(keys.signingKey(claims.mesh()));
    return DataplaneTokenSigner.sign(claims, key.serial(), key.privateKey());
  }

  static <T> T await(Uni<T> uni) {
    return uni.await().atMost(WAIT);
  }

  static String base64url(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  /** The base64url HMAC-SHA256 of {@code signingInput} keyed with {@code secret}. */
  static String hs256(String signingInput, String secret) {
    try {
      Mac hmac = Mac.getInstance("HmacSHA256");
      hmac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(hmac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String[] parts(String token) {
    return token.split("\\.");
  }
}

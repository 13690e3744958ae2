package dev.quma.core.auth;

import dev.quma.core.jwt.JwtRefusedException;
import dev.quma.core.jwt.Rs256Jwt;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceMeta;
import dev.quma.core.model.ResourceType;
import dev.quma.core.model.SecretData;
import dev.quma.core.store.ResourceConflictException;
import dev.quma.core.store.ResourceStore;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;

/**
 * User tokens, as Kuma's: RS256 JWTs with claims {@code Name} and {@code Groups}, signed with the
 * global secret {@code user-token-signing-key-1}. The first admin token is kept in the global
 * secret {@code admin-user-token}, readable by admins only.
 */
public final class UserTokens {
  public static final String SIGNING_KEY_SECRET = "user-token-signing-key-1";
  public static final String ADMIN_TOKEN_SECRET = "admin-user-token";
  private static final String KEY_ID = "1";
  private static final Duration KEY_CACHE_TTL = Duration.ofMinutes(1);
  private static final long CLOCK_SKEW_SECONDS = 30;

  private final ResourceStore store;
  private final Clock clock;
  private final Map<String, CachedKey> verificationKeys = new ConcurrentHashMap<>();

  private record CachedKey(RSAPublicKey key, long loadedAtMillis) {}

  public UserTokens(ResourceStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /**
   * Makes sure the signing key and the initial admin token exist. Safe to run on every replica at
   * once: creations are create-if-absent, and a loser reads what the winner wrote.
   */
  public Uni<Void> ensureAdminToken(Duration validFor) {
    return store
        .find(ResourceType.GLOBAL_SECRET, null, ADMIN_TOKEN_SECRET)
        .flatMap(
            existing -> {
              if (existing.isPresent()) {
                return Uni.createFrom().voidItem();
              }
              return issue(
                      "admin", Set.of(Caller.ADMIN_GROUP, Caller.AUTHENTICATED_GROUP), validFor)
                  .flatMap(
                      token ->
                          store.create(
                              secret(ADMIN_TOKEN_SECRET, token.getBytes(StandardCharsets.UTF_8))))
                  .replaceWithVoid()
                  .onFailure(ResourceConflictException.class)
                  .recoverWithItem((Void) null);
            });
  }

  /** Forgets the cached verification keys (the store lost its data, and its key with it). */
  public void forgetKeys() {
    verificationKeys.clear();
  }

  /** The initial admin token, for the launcher and for tests. */
  public Uni<String> adminToken() {
    return store
        .get(ResourceType.GLOBAL_SECRET, null, ADMIN_TOKEN_SECRET, SecretData.class)
        .map(
            secret ->
                new String(
                    Base64.getDecoder().decode(secret.spec().data()), StandardCharsets.UTF_8));
  }

  public Uni<String> issue(String name, Set<String> groups, Duration validFor) {
    return signingKey()
        .map(
            key -> {
              long now = clock.millis() / 1000;
              Map<String, Object> claims = new LinkedHashMap<>();
              claims.put("Name", name);
              claims.put("Groups", new ArrayList<>(groups));
              claims.put("iat", now);
              claims.put("nbf", now);
              claims.put("exp", now + validFor.toSeconds());
              claims.put("jti", UUID.randomUUID().toString());
              return Rs256Jwt.sign(claims, KEY_ID, key);
            });
  }

  /**
   * Verifies signature (RS256 only), expiry and claims; fails with {@link InvalidTokenException}.
   */
  public Uni<Caller> verify(String token) {
    String keyId;
    try {
      keyId = Rs256Jwt.peek(token).keyId();
    } catch (JwtRefusedException e) {
      return Uni.createFrom().failure(beforeTheKey(e));
    }
    if (!KEY_ID.equals(keyId)) {
      return Uni.createFrom()
          .failure(new InvalidTokenException("the token names an unknown signing key"));
    }
    boolean cached = cachedKey(keyId) != null;
    Uni<Caller> verified = verificationKey(keyId).map(key -> check(token, key));
    if (!cached) {
      return verified;
    }
    // The key may have been replaced since it was cached: one retry with a fresh copy.
    return verified
        .onFailure(InvalidTokenException.class)
        .recoverWithUni(
            () -> {
              verificationKeys.remove(keyId);
              return verificationKey(keyId).map(key -> check(token, key));
            });
  }

  /** A refusal on the token's shape or header, before any key was looked up. */
  private static InvalidTokenException beforeTheKey(JwtRefusedException refusal) {
    return switch (refusal.kind()) {
      case MALFORMED -> new InvalidTokenException("the token is not a well-formed JWT");
      case MISSING_KEY_ID, OTHER_KEY_ID ->
          new InvalidTokenException("the token names an unknown signing key");
      default -> new InvalidTokenException("the token's signature or claims are not valid");
    };
  }

  private RSAPublicKey cachedKey(String keyId) {
    CachedKey cached = verificationKeys.get(keyId);
    if (cached != null && clock.millis() - cached.loadedAtMillis() < KEY_CACHE_TTL.toMillis()) {
      return cached.key();
    }
    return null;
  }

  private Caller check(String token, RSAPublicKey key) {
    JwtClaims claims;
    try {
      claims = Rs256Jwt.verify(token, KEY_ID, key);
    } catch (JwtRefusedException e) {
      throw new InvalidTokenException("the token's signature or claims are not valid");
    }
    try {
      checkTimes(claims);
      String name = claims.getClaimValueAsString("Name");
      if (name == null || name.isEmpty()) {
        throw new InvalidTokenException("the token has no Name claim");
      }
      Set<String> groups =
          claims.hasClaim("Groups")
              ? Set.copyOf(claims.getStringListClaimValue("Groups"))
              : Set.of();
      Set<String> withAuthenticated = new HashSet<>(groups);
      withAuthenticated.add(Caller.AUTHENTICATED_GROUP);
      return new Caller(name, withAuthenticated);
    } catch (MalformedClaimException e) {
      throw new InvalidTokenException("the token's Groups claim is not a list of strings");
    }
  }

  /** exp (required) and nbf, with 30 s of clock skew, on this verifier's clock. */
  private void checkTimes(JwtClaims claims) throws MalformedClaimException {
    long now = clock.millis() / 1000;
    NumericDate expires = claims.getExpirationTime();
    if (expires == null) {
      throw new InvalidTokenException("the token's signature or claims are not valid");
    }
    if (now - CLOCK_SKEW_SECONDS >= expires.getValue()) {
      throw new InvalidTokenException("the token has expired");
    }
    NumericDate notBefore = claims.getNotBefore();
    if (notBefore != null && now + CLOCK_SKEW_SECONDS < notBefore.getValue()) {
      throw new InvalidTokenException("the token's signature or claims are not valid");
    }
  }

  private Uni<RSAPrivateCrtKey> signingKey() {
    return store
        .find(ResourceType.GLOBAL_SECRET, null, SIGNING_KEY_SECRET, SecretData.class)
        .flatMap(
            found -> {
              if (found.isPresent()) {
                return Uni.createFrom().item(parse(found.get()));
              }
              return Uni.createFrom()
                  .item(() -> PemKeys.generate(2048))
                  .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                  .flatMap(
                      key ->
                          store
                              .create(
                                  secret(
                                      SIGNING_KEY_SECRET,
                                      PemKeys.toPkcs1Pem(key).getBytes(StandardCharsets.US_ASCII)))
                              .replaceWith(key)
                              .onFailure(ResourceConflictException.class)
                              .recoverWithUni(
                                  () ->
                                      store
                                          .get(
                                              ResourceType.GLOBAL_SECRET,
                                              null,
                                              SIGNING_KEY_SECRET,
                                              SecretData.class)
                                          .map(UserTokens::parse)));
            });
  }

  private Uni<RSAPublicKey> verificationKey(String keyId) {
    RSAPublicKey cached = cachedKey(keyId);
    if (cached != null) {
      return Uni.createFrom().item(cached);
    }
    return store
        .find(ResourceType.GLOBAL_SECRET, null, SIGNING_KEY_SECRET, SecretData.class)
        .map(
            found -> {
              if (found.isEmpty()) {
                verificationKeys.remove(keyId);
                throw new InvalidTokenException("the token names an unknown signing key");
              }
              RSAPublicKey key = PemKeys.publicKeyOf(parse(found.get()));
              verificationKeys.put(keyId, new CachedKey(key, clock.millis()));
              return key;
            });
  }

  private static RSAPrivateCrtKey parse(Resource<SecretData> secret) {
    return PemKeys.parsePrivateKey(
        new String(Base64.getDecoder().decode(secret.spec().data()), StandardCharsets.US_ASCII));
  }

  private static Resource<SecretData> secret(String name, byte[] data) {
    return new Resource<>(
        ResourceMeta.of(ResourceType.GLOBAL_SECRET, null, name, Map.of()),
        new SecretData(Base64.getEncoder().encodeToString(data)));
  }
}

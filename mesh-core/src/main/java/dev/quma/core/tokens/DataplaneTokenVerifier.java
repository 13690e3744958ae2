package dev.quma.core.tokens;

import dev.quma.core.events.ChangeStream;
import dev.quma.core.model.Dataplane;
import dev.quma.core.model.ProxyType;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.tokens.TokenRefusedException.Reason;
import dev.quma.core.validation.MetaValidator;
import io.smallrye.mutiny.Uni;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Verifies dataplane tokens for the bootstrap and xDS tiers, in Kuma's way and without touching
 * PostgreSQL: signature (RS256 only, with the mesh's signing key named by {@code kid}), expiry and
 * not-before with a small clock skew, revocation, then binding to the proxy that presents it (mesh,
 * name, tags of every inbound, type). Keys and revocations come from Redis and are cached, kept
 * current from the mesh's change stream (see {@link VerifierSettings#refreshInterval()}); a key the
 * cache does not know is read from the store at once, so a freshly rotated key works immediately.
 *
 * <p>A refusal fails the Uni with {@link TokenRefusedException}; other failures (Redis unreachable)
 * fail it with their own exception and are not refusals.
 */
public final class DataplaneTokenVerifier {
  private static final long RECHECK_EVERY_NANOS = 250_000_000L;

  private final TokenStateCache states;
  // When each mesh's key was last re-read after a signature did not match the cached one.
  private final java.util.Map<String, Long> lastKeyRecheck =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final Clock clock;
  private final VerifierSettings settings;
  private final long refreshNanos;

  public DataplaneTokenVerifier(ResourceStore store, ChangeStream changes, Clock clock) {
    this(store, changes, clock, VerifierSettings.DEFAULTS);
  }

  public DataplaneTokenVerifier(
      ResourceStore store, ChangeStream changes, Clock clock, VerifierSettings settings) {
    this.states = new TokenStateCache(store, changes);
    this.clock = clock;
    this.settings = settings;
    this.refreshNanos = settings.refreshInterval().toNanos();
  }

  /**
   * Verifies {@code token} for the proxy {@code name} of {@code mesh}, of type {@code type}.
   *
   * @param dataplane the proxy's Dataplane spec, whose inbounds (or gateway) must carry the tags
   *     the token is bound to; pass null only when there is no spec (e.g. a zone ingress), which
   *     skips the tag check
   */
  public Uni<VerifiedDataplaneToken> verify(
      String token, String mesh, String name, ProxyType type, Dataplane dataplane) {
    Objects.requireNonNull(mesh, "mesh");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    DataplaneJwt jws;
    DataplaneTokenClaims claims;
    String keyMesh;
    try {
      jws = DataplaneJwt.read(token);
      claims = jws.claims;
      // The token's own mesh picks the key, so that a genuine token of another mesh is told apart
      // from a forgery; binding then refuses it as WRONG_MESH.
      keyMesh = claims.mesh().isEmpty() ? mesh : claims.mesh();
      if (!MetaValidator.isMeshReference(keyMesh)) {
        throw DataplaneTokenClaims.malformed("its Mesh claim is not a mesh name");
      }
    } catch (TokenRefusedException e) {
      return Uni.createFrom().failure(e);
    }
    Binding binding = new Binding(mesh, name, type, dataplane);
    return cached(jws, claims, keyMesh, binding)
        .onFailure(DataplaneTokenVerifier::badSignature)
        .recoverWithUni(refusal -> withStoredKey(jws, claims, keyMesh, binding, refusal));
  }

  /** Verifies with the cached key the token names (read from the store if not cached). */
  private Uni<VerifiedDataplaneToken> cached(
      DataplaneJwt jws, DataplaneTokenClaims claims, String keyMesh, Binding binding) {
    MeshTokenState fresh = states.stateIfFresh(keyMesh, refreshNanos);
    if (fresh != null && fresh.key(jws.keySerial) != null) {
      try {
        return Uni.createFrom().item(check(jws, claims, fresh.key(jws.keySerial), fresh, binding));
      } catch (TokenRefusedException e) {
        return Uni.createFrom().failure(e);
      }
    }
    return states
        .state(keyMesh, settings.refreshInterval())
        .flatMap(
            state -> {
              SigningKeyInfo key = state.key(jws.keySerial);
              if (key != null) {
                return Uni.createFrom().item(key);
              }
              if (state.missingSerials().contains(jws.keySerial)) {
                return Uni.createFrom().nullItem();
              }
              return states.lookUp(keyMesh, jws.keySerial);
            })
        .flatMap(
            key -> {
              if (key == null) {
                return Uni.createFrom().failure(unknownKey(keyMesh, jws.keySerial));
              }
              return states
                  .state(keyMesh, settings.refreshInterval())
                  .map(state -> check(jws, claims, key, state, binding));
            });
  }

  private static boolean badSignature(Throwable error) {
    return error instanceof TokenRefusedException refused
        && refused.reason() == Reason.BAD_SIGNATURE;
  }

  /**
   * The signature does not match the cached key: the key under that serial may be new (the store
   * lost its data and serial 1 was made again, or another control plane wrote it). Reads it from
   * the store and checks once more, at most once per mesh each {@link #RECHECK_EVERY_NANOS}, so
   * that a flood of forged tokens costs few store reads.
   */
  private Uni<VerifiedDataplaneToken> withStoredKey(
      DataplaneJwt jws,
      DataplaneTokenClaims claims,
      String keyMesh,
      Binding binding,
      Throwable refusal) {
    long now = System.nanoTime();
    Long last = lastKeyRecheck.get(keyMesh);
    if (last != null && now - last < RECHECK_EVERY_NANOS) {
      return Uni.createFrom().failure(refusal);
    }
    lastKeyRecheck.put(keyMesh, now);
    return states
        .lookUp(keyMesh, jws.keySerial)
        .flatMap(
            key ->
                key == null
                    ? Uni.createFrom().failure(unknownKey(keyMesh, jws.keySerial))
                    : states
                        .state(keyMesh, settings.refreshInterval())
                        .map(state -> check(jws, claims, key, state, binding)));
  }

  /** Forgets every cached key and revocation (the store lost its data). */
  public void forgetAll() {
    states.clear();
    lastKeyRecheck.clear();
  }

  /**
   * Makes the next verification in {@code mesh} re-read the change stream first: for a caller that
   * just revoked a token or removed a key itself and must not see the old state again.
   */
  public void invalidate(String mesh) {
    states.invalidate(mesh);
  }

  private record Binding(String mesh, String name, ProxyType type, Dataplane dataplane) {}

  private VerifiedDataplaneToken check(
      DataplaneJwt jws,
      DataplaneTokenClaims claims,
      SigningKeyInfo key,
      MeshTokenState state,
      Binding binding) {
    if (endsBeforeItStarts(claims)) {
      // The JWT library refuses such claims as malformed; they are out of their time anyway, and
      // saying so (expired, not yet valid) is what the proxy's operator can act on.
      checkTimes(claims);
    }
    jws.verifySignature(key);
    checkTimes(claims);
    if (state.revoked().contains(claims.jti())) {
      throw new TokenRefusedException(
          Reason.REVOKED, "the dataplane token " + claims.jti() + " has been revoked");
    }
    ProxyType type = checkBinding(claims, binding);
    return new VerifiedDataplaneToken(
        claims.jti(),
        claims.mesh().isEmpty() ? binding.mesh() : claims.mesh(),
        claims.name().isEmpty() ? null : claims.name(),
        claims.tags(),
        type,
        claims.workload().isEmpty() ? null : claims.workload(),
        key.serial(),
        claims.issuedAt(),
        claims.expiresAt());
  }

  private void checkTimes(DataplaneTokenClaims claims) {
    Instant now = clock.instant();
    if (now.isAfter(claims.expiresAt().plus(settings.clockSkew()))) {
      throw new TokenRefusedException(
          Reason.EXPIRED, "the dataplane token expired at " + claims.expiresAt());
    }
    Instant earliest = latest(claims.notBefore(), claims.issuedAt());
    if (earliest != null && now.isBefore(earliest.minus(settings.clockSkew()))) {
      throw new TokenRefusedException(
          Reason.NOT_YET_VALID,
          "the dataplane token is not valid before "
              + earliest
              + " (is this host's clock, or the issuer's, wrong?)");
    }
  }

  private static boolean endsBeforeItStarts(DataplaneTokenClaims claims) {
    Instant expires = claims.expiresAt();
    return (claims.issuedAt() != null && expires.isBefore(claims.issuedAt()))
        || (claims.notBefore() != null && expires.isBefore(claims.notBefore()));
  }

  private static Instant latest(Instant a, Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isAfter(b) ? a : b;
  }

  /** Kuma's rule: whatever the token binds must match; what it leaves empty is not checked. */
  private static ProxyType checkBinding(DataplaneTokenClaims claims, Binding binding) {
    if (!claims.mesh().isEmpty() && !claims.mesh().equals(binding.mesh())) {
      throw new TokenRefusedException(
          Reason.WRONG_MESH,
          "the dataplane token is for mesh \""
              + claims.mesh()
              + "\", but the proxy is in mesh \""
              + binding.mesh()
              + "\"");
    }
    if (!claims.name().isEmpty() && !claims.name().equals(binding.name())) {
      throw new TokenRefusedException(
          Reason.WRONG_NAME,
          "the dataplane token is for the proxy \""
              + claims.name()
              + "\", not \""
              + binding.name()
              + "\"");
    }
    if (!claims.tags().isEmpty() && binding.dataplane() != null) {
      checkTags(claims.tags(), binding.dataplane());
    }
    if (claims.type().isEmpty()) {
      return null;
    }
    Optional<ProxyType> type = ProxyType.fromWireName(claims.type());
    if (type.isEmpty() || type.get() != binding.type()) {
      throw new TokenRefusedException(
          Reason.WRONG_TYPE,
          "the dataplane token is for proxies of type \""
              + claims.type()
              + "\", not \""
              + binding.type().wireName()
              + "\"");
    }
    return type.get();
  }

  /** Every inbound (or the gateway) must carry each bound tag, with a value the token allows. */
  private static void checkTags(SortedMap<String, List<String>> bound, Dataplane dataplane) {
    Dataplane.Networking networking = dataplane.networking();
    if (networking != null && networking.gateway() != null) {
      checkTagsOf("the gateway", networking.gateway().tags(), bound);
      return;
    }
    List<Dataplane.Inbound> inbounds = networking == null ? List.of() : networking.inbound();
    if (inbounds.isEmpty()) {
      throw new TokenRefusedException(
          Reason.MISSING_TAGS,
          "the dataplane token is bound to tags "
              + bound.keySet()
              + ", but the dataplane has no inbound to carry them");
    }
    for (int i = 0; i < inbounds.size(); i++) {
      Dataplane.Inbound inbound = inbounds.get(i);
      String which =
          "inbound " + i + (inbound.port() == null ? "" : " (port " + inbound.port() + ")");
      checkTagsOf(which, inbound.tags(), bound);
    }
  }

  private static void checkTagsOf(
      String which, Map<String, String> tags, SortedMap<String, List<String>> bound) {
    for (Map.Entry<String, List<String>> tag : bound.entrySet()) {
      String value = tags.get(tag.getKey());
      if (value == null) {
        throw new TokenRefusedException(
            Reason.MISSING_TAGS,
            which
                + " of the dataplane has no tag \""
                + tag.getKey()
                + "\", which the token requires");
      }
      if (!tag.getValue().contains(value)) {
        throw new TokenRefusedException(
            Reason.TAG_VALUE_NOT_ALLOWED,
            which
                + " of the dataplane has "
                + tag.getKey()
                + "="
                + value
                + ", which the token does not allow (allowed: "
                + String.join(", ", tag.getValue())
                + ")");
      }
    }
  }

  private static TokenRefusedException unknownKey(String mesh, int serial) {
    return new TokenRefusedException(
        Reason.UNKNOWN_SIGNING_KEY,
        "the dataplane token was signed with signing key "
            + serial
            + " of mesh \""
            + mesh
            + "\", which does not exist (it was removed, or the token comes from another control"
            + " plane); issue a new token");
  }
}

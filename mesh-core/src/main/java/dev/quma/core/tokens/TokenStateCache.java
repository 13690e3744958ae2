package dev.quma.core.tokens;

import dev.quma.core.events.ChangeEvent;
import dev.quma.core.events.ChangeStream;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceType;
import dev.quma.core.model.SecretData;
import dev.quma.core.store.ListQuery;
import dev.quma.core.store.ResourceQueries;
import dev.quma.core.store.ResourceStore;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Keeps each mesh's signing keys (public halves) and revocations in memory, and keeps them current
 * from the mesh's change stream: a refresh reads the stream after the last entry it accounted for
 * and reloads the mesh's secrets only when a signing key or the revocation list changed (or when
 * the stream was trimmed past it, or reset). Concurrent callers share one refresh.
 *
 * <p>Freshness is expressed as "a state whose refresh began no earlier than T": such a state
 * reflects every write committed before T.
 */
final class TokenStateCache {
  private static final Logger LOG = Logger.getLogger(TokenStateCache.class);
  private static final int EVENTS_PER_READ = 1000;
  private static final int MAX_MESHES = 10_000;
  private static final Duration REFRESH_TIMEOUT = Duration.ofSeconds(10);
  private static final String SECRET = ResourceType.SECRET.kumaName();

  private final ResourceStore store;
  private final ResourceQueries queries;
  private final ChangeStream changes;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  // Parsed public keys by secret name, reused while the secret holds the same bytes. Not by
  // version:
  // a store that lost its data gives the same names and versions to new keys.
  private final Map<String, Parsed> parsed = new ConcurrentHashMap<>();

  private record Parsed(String digest, SigningKeyInfo key) {}

  TokenStateCache(ResourceStore store, ChangeStream changes) {
    this.store = store;
    this.queries = new ResourceQueries(store);
    this.changes = changes;
  }

  /** The cached state if its refresh began within {@code maxAgeNanos}; else null. No I/O. */
  MeshTokenState stateIfFresh(String mesh, long maxAgeNanos) {
    Entry entry = entries.get(mesh);
    if (entry == null) {
      return null;
    }
    MeshTokenState state = entry.state;
    long notBefore = Math.max(System.nanoTime() - maxAgeNanos, entry.invalidatedAtNanos);
    return state != null && state.refreshStartedNanos() - notBefore >= 0 ? state : null;
  }

  /** A state at most {@code maxAge} old (and newer than the last {@link #invalidate}). */
  Uni<MeshTokenState> state(String mesh, Duration maxAge) {
    MeshTokenState fresh = stateIfFresh(mesh, maxAge.toNanos());
    if (fresh != null) {
      return Uni.createFrom().item(fresh);
    }
    Entry entry = entry(mesh);
    return entry.notOlderThan(
        Math.max(System.nanoTime() - maxAge.toNanos(), entry.invalidatedAtNanos));
  }

  /** A state that reflects every write committed before this call. */
  Uni<MeshTokenState> current(String mesh) {
    return entry(mesh).notOlderThan(System.nanoTime());
  }

  /** Forgets every mesh's state and every parsed key (the store lost its data). */
  void clear() {
    entries.clear();
    parsed.clear();
  }

  /** Makes the next read of this mesh refresh first (after a local write, say). */
  void invalidate(String mesh) {
    Entry entry = entries.get(mesh);
    if (entry != null) {
      entry.invalidatedAtNanos = System.nanoTime();
    }
  }

  /**
   * Reads one signing key straight from the store (a token names a serial the cached state does not
   * have: a key made since the last refresh, or none at all). Null when there is no such key.
   */
  Uni<SigningKeyInfo> lookUp(String mesh, int serial) {
    long startedNanos = System.nanoTime();
    String name = DataplaneTokenNames.signingKey(mesh, serial);
    return store
        .find(ResourceType.SECRET, mesh, name, SecretData.class)
        .map(
            found -> {
              SigningKeyInfo key = found.map(secret -> parse(mesh, serial, secret)).orElse(null);
              entry(mesh).learn(serial, key, startedNanos);
              return key;
            });
  }

  private Entry entry(String mesh) {
    Entry entry = entries.get(mesh);
    if (entry != null) {
      return entry;
    }
    if (entries.size() >= MAX_MESHES) {
      // Tokens may name meshes that do not exist; keep only the states that hold keys.
      entries.values().removeIf(e -> e.state == null || e.state.keys().isEmpty());
    }
    return entries.computeIfAbsent(mesh, Entry::new);
  }

  /** One mesh's state and the refresh in flight, if any. */
  private final class Entry {
    private final String mesh;
    volatile MeshTokenState state;
    volatile long invalidatedAtNanos = System.nanoTime() - Long.MAX_VALUE / 2;
    private CompletableFuture<MeshTokenState> inflight; // guarded by this
    private long inflightStartedNanos; // guarded by this

    Entry(String mesh) {
      this.mesh = mesh;
    }

    Uni<MeshTokenState> notOlderThan(long notBeforeNanos) {
      MeshTokenState known = state;
      if (known != null && known.refreshStartedNanos() - notBeforeNanos >= 0) {
        return Uni.createFrom().item(known);
      }
      synchronized (this) {
        if (inflight != null) {
          if (inflightStartedNanos - notBeforeNanos >= 0) {
            return Uni.createFrom().completionStage(inflight);
          }
          // That refresh began too early to show what this caller needs: wait, then go again.
          CompletableFuture<MeshTokenState> earlier = inflight;
          return Uni.createFrom()
              .completionStage(earlier.handle((s, f) -> null))
              .flatMap(x -> notOlderThan(notBeforeNanos));
        }
        long started = System.nanoTime();
        // Waiters are completed only after the state is published and the refresh is no longer
        // in flight, so that whatever they do next sees both.
        CompletableFuture<MeshTokenState> run = new CompletableFuture<>();
        inflight = run;
        inflightStartedNanos = started;
        refresh(mesh, state, started)
            // A refresh that never ends would hold every caller of this mesh: fail it instead.
            .ifNoItem()
            .after(REFRESH_TIMEOUT)
            .failWith(
                () ->
                    new IllegalStateException(
                        "reading the token state of mesh " + mesh + " timed out"))
            .subscribe()
            .with(
                fresh -> {
                  synchronized (this) {
                    if (state == null || newer(fresh, state)) {
                      state = fresh;
                    }
                    if (inflight == run) {
                      inflight = null;
                    }
                  }
                  run.complete(fresh);
                },
                failure -> {
                  synchronized (this) {
                    if (inflight == run) {
                      inflight = null;
                    }
                  }
                  run.completeExceptionally(failure);
                });
        return Uni.createFrom().completionStage(run);
      }
    }

    /** What a direct read found; kept only if no refresh began after the read did. */
    synchronized void learn(int serial, SigningKeyInfo key, long readStartedNanos) {
      MeshTokenState known = state;
      if (known == null || known.refreshStartedNanos() - readStartedNanos > 0) {
        return;
      }
      state = key != null ? known.withKey(key) : known.withMissing(serial);
    }
  }

  private static boolean newer(MeshTokenState a, MeshTokenState b) {
    return a.refreshStartedNanos() - b.refreshStartedNanos() >= 0;
  }

  // ---- loading -------------------------------------------------------------------------------

  private Uni<MeshTokenState> refresh(String mesh, MeshTokenState previous, long startedNanos) {
    if (previous == null) {
      return load(mesh, startedNanos);
    }
    return catchUp(mesh, previous.streamPosition())
        .flatMap(
            result ->
                result.reload()
                    ? load(mesh, startedNanos)
                    : Uni.createFrom().item(previous.at(result.position(), startedNanos)));
  }

  private record CatchUp(boolean reload, String position) {}

  /** Reads the stream after {@code position}: is there anything that needs a reload? */
  private Uni<CatchUp> catchUp(String mesh, String position) {
    return changes
        .catchUp(mesh, position, EVENTS_PER_READ)
        .flatMap(
            read -> {
              if (read.lost() || read.events().stream().anyMatch(e -> relevant(mesh, e))) {
                return Uni.createFrom().item(new CatchUp(true, position));
              }
              if (read.more()) {
                return catchUp(mesh, read.position());
              }
              return Uni.createFrom().item(new CatchUp(false, read.position()));
            });
  }

  private static boolean relevant(String mesh, ChangeEvent event) {
    return SECRET.equals(event.type())
        && mesh.equals(event.mesh())
        && (DataplaneTokenNames.serialOf(mesh, event.name()).isPresent()
            || DataplaneTokenNames.revocations(mesh).equals(event.name()));
  }

  /** Reads the mesh's secrets; the stream position is read first, so nothing falls between. */
  private Uni<MeshTokenState> load(String mesh, long startedNanos) {
    return changes
        .head(mesh)
        .flatMap(
            position ->
                queries
                    .list(ResourceType.SECRET, mesh, ListQuery.all())
                    .map(page -> build(mesh, page.items(), position, startedNanos)));
  }

  @SuppressWarnings("unchecked")
  private MeshTokenState build(
      String mesh, List<Resource<?>> secrets, String position, long startedNanos) {
    TreeMap<Integer, SigningKeyInfo> keys = new TreeMap<>();
    Set<String> revoked = Set.of();
    String revocations = DataplaneTokenNames.revocations(mesh);
    for (Resource<?> resource : secrets) {
      Resource<SecretData> secret = (Resource<SecretData>) resource;
      if (secret.name().equals(revocations)) {
        revoked = RevocationList.parse(bytes(secret));
        continue;
      }
      OptionalInt serial = DataplaneTokenNames.serialOf(mesh, secret.name());
      if (serial.isPresent()) {
        SigningKeyInfo key = parse(mesh, serial.getAsInt(), secret);
        if (key != null) {
          keys.put(key.serial(), key);
        }
      }
    }
    Set<String> known = new HashSet<>();
    keys.values().forEach(k -> known.add(k.secretName()));
    parsed
        .keySet()
        .removeIf(
            name ->
                name.startsWith(DataplaneTokenNames.signingKeyPrefix(mesh) + "-")
                    && !known.contains(name));
    return new MeshTokenState(mesh, keys, revoked, position, startedNanos, Set.of());
  }

  private SigningKeyInfo parse(String mesh, int serial, Resource<SecretData> secret) {
    byte[] data = bytes(secret);
    String digest = digest(data);
    Parsed cached = parsed.get(secret.name());
    if (cached != null && cached.digest().equals(digest)) {
      return cached.key().version() == secret.version()
          ? cached.key()
          : cached.key().atVersion(secret.version(), secret.meta().creationTime());
    }
    try {
      SigningKeyInfo key =
          new SigningKeyInfo(
              mesh,
              serial,
              secret.name(),
              secret.version(),
              secret.meta().creationTime(),
              SigningKeyData.publicKey(data),
              SigningKeyData.encrypted(data));
      parsed.put(secret.name(), new Parsed(digest, key));
      return key;
    } catch (IllegalArgumentException e) {
      LOG.warnf(
          "secret %s of mesh %s is named like a signing key but holds no RSA key; ignored",
          secret.name(), mesh);
      return null;
    }
  }

  private static String digest(byte[] data) {
    try {
      return java.util.HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static byte[] bytes(Resource<SecretData> secret) {
    String data = secret.spec().data();
    return data == null ? new byte[0] : Base64.getDecoder().decode(data);
  }
}

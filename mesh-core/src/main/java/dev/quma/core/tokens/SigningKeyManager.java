package dev.quma.core.tokens;

import dev.quma.core.auth.PemKeys;
import dev.quma.core.events.ChangeStream;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceMeta;
import dev.quma.core.model.ResourceType;
import dev.quma.core.model.SecretData;
import dev.quma.core.store.MeshNotFoundException;
import dev.quma.core.store.ResourceConflictException;
import dev.quma.core.store.ResourceNotFoundException;
import dev.quma.core.store.ResourceStore;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The signing keys of each mesh's dataplane tokens, kept as the mesh's Secrets under Kuma's names.
 * The key with the highest serial signs; older keys keep verifying until removed. A mesh's first
 * key is made on first need, by whichever replica gets there first: every replica aims at the same
 * serial and the store creates it only once, so racing replicas end with one key.
 *
 * <p>Serial numbers are never reused within a mesh (a set of used serials is kept beside the keys),
 * so a {@code kid} always names one key, even after removals.
 */
public final class SigningKeyManager {
  private static final Logger LOG = Logger.getLogger(SigningKeyManager.class);
  public static final int RSA_BITS = 2048;

  /** The private key that signs, with its serial. */
  public record SigningKey(int serial, String secretName, RSAPrivateCrtKey privateKey) {
    @Override
    public String toString() {
      return "SigningKey[" + secretName + "]";
    }
  }

  // By the key's fingerprint: a store that lost its data gives the same name and version to a new
  // key.
  private record CachedPrivateKey(String fingerprint, SigningKey key) {}

  private final ResourceStore store;
  private final TokenStateCache states;
  private final Optional<KeyEncryption> encryption;
  private final Supplier<RSAPrivateCrtKey> generator;
  private final Map<String, CachedPrivateKey> privateKeys = new ConcurrentHashMap<>();
  private final Set<String> signedFor = ConcurrentHashMap.newKeySet(); // meshes, for a wipe

  public SigningKeyManager(
      ResourceStore store, ChangeStream changes, Optional<KeyEncryption> encryption) {
    this(store, changes, encryption, () -> PemKeys.generate(RSA_BITS));
  }

  SigningKeyManager(
      ResourceStore store,
      ChangeStream changes,
      Optional<KeyEncryption> encryption,
      Supplier<RSAPrivateCrtKey> generator) {
    this.store = store;
    this.states = new TokenStateCache(store, changes);
    this.encryption = encryption;
    this.generator = generator;
  }

  /**
   * The key that signs new tokens of {@code mesh} now (read fresh, so a rotation or removal on any
   * replica counts at once); the mesh's first key is created when it has none. Fails with the
   * store's {@code MeshNotFoundException} for a mesh that does not exist.
   */
  public Uni<SigningKey> signingKey(String mesh) {
    return states
        .current(mesh)
        .flatMap(
            state -> {
              SigningKeyInfo latest = state.latest();
              if (latest != null) {
                return privateKey(latest);
              }
              return create(mesh, true)
                  .onFailure(ResourceConflictException.class)
                  .recoverWithUni(() -> existingLatest(mesh))
                  .flatMap(this::privateKey);
            })
        .invoke(() -> signedFor.add(mesh));
  }

  /** Adds a key with the next serial; it signs every token from now on. */
  public Uni<SigningKeyInfo> rotate(String mesh) {
    return create(mesh, false)
        .invoke(
            key ->
                LOG.infof(
                    "rotated the dataplane token signing key of mesh %s to serial %d",
                    mesh, key.serial()));
  }

  /**
   * Removes a key: every token it signed stops verifying. Fails with the store's {@code
   * ResourceNotFoundException} when the mesh has no such key.
   */
  public Uni<Void> remove(String mesh, int serial) {
    String name = DataplaneTokenNames.signingKey(mesh, serial);
    return store
        .find(ResourceType.SECRET, mesh, name)
        .flatMap(
            found ->
                found.isEmpty()
                    ? Uni.createFrom()
                        .failure(new ResourceNotFoundException(ResourceType.SECRET, mesh, name))
                    // Recorded before the key goes, so its serial can never be given again.
                    : recordSerial(mesh, serial))
        .flatMap(x -> store.delete(ResourceType.SECRET, mesh, name, OptionalLong.empty()))
        .invoke(
            () -> {
              states.invalidate(mesh);
              LOG.infof("removed dataplane token signing key %d of mesh %s", serial, mesh);
            })
        .replaceWithVoid();
  }

  /**
   * Forgets every cached key (the store lost its data: its keys are not these any more); answers
   * the meshes this manager had signed for.
   */
  public Set<String> forgetAll() {
    Set<String> meshes = new TreeSet<>(signedFor);
    signedFor.clear();
    states.clear();
    privateKeys.clear();
    return meshes;
  }

  /** The mesh's keys, lowest serial first; the last one signs. */
  public Uni<List<SigningKeyInfo>> keys(String mesh) {
    return states.current(mesh).map(state -> List.copyOf(state.keys().values()));
  }

  private Uni<SigningKeyInfo> existingLatest(String mesh) {
    return states
        .current(mesh)
        .map(
            state -> {
              if (state.latest() == null) {
                throw new IllegalStateException(
                    "the first signing key of mesh " + mesh + " was created and removed at once");
              }
              return state.latest();
            });
  }

  /**
   * Creates the key with the next serial. The used serials are read before the keys, and a serial
   * is recorded as used only once its key exists: so replicas that race for a mesh's first key all
   * aim at the same serial, the store creates it once, and the others get a conflict.
   *
   * @param onlyIfNone make no key if the mesh has one by now (answer that one instead)
   */
  private Uni<SigningKeyInfo> create(String mesh, boolean onlyIfNone) {
    // Checked first so that a mistyped mesh costs no key generation (the store checks again).
    return store
        .find(ResourceType.MESH, null, mesh)
        .flatMap(
            found ->
                found.isPresent()
                    ? highestUsedSerial(mesh)
                    : Uni.createFrom()
                        .failure(
                            new MeshNotFoundException(
                                ResourceType.SECRET,
                                mesh,
                                DataplaneTokenNames.signingKey(
                                    mesh, DataplaneTokenNames.FIRST_SERIAL))))
        .flatMap(used -> states.current(mesh).map(state -> new Seen(used, state)))
        .flatMap(
            seen -> {
              MeshTokenState state = seen.state();
              if (onlyIfNone && state.latest() != null) {
                return Uni.createFrom().item(state.latest());
              }
              int known = state.keys().isEmpty() ? 0 : state.keys().lastKey();
              int serial = Math.max(seen.highestUsedSerial(), known) + 1;
              return Uni.createFrom()
                  .item(generator)
                  .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                  .flatMap(key -> store(mesh, serial, key))
                  .call(created -> recordSerial(mesh, created.serial()))
                  .invoke(
                      created -> {
                        if (onlyIfNone) {
                          LOG.infof(
                              "created the first dataplane token signing key of mesh %s", mesh);
                        }
                      });
            })
        .eventually(() -> states.invalidate(mesh));
  }

  private record Seen(int highestUsedSerial, MeshTokenState state) {}

  private Uni<Integer> highestUsedSerial(String mesh) {
    return store
        .redis()
        .send(Request.cmd(Command.ZREVRANGE).arg(store.keys().tokenKeySerials(mesh)).arg(0).arg(0))
        .map(highest -> highest == null || highest.size() == 0 ? 0 : highest.get(0).toInteger());
  }

  private Uni<Void> recordSerial(String mesh, int serial) {
    return store
        .redis()
        .send(
            Request.cmd(Command.ZADD)
                .arg(store.keys().tokenKeySerials(mesh))
                .arg(serial)
                .arg(serial))
        .replaceWithVoid();
  }

  private Uni<SigningKeyInfo> store(String mesh, int serial, RSAPrivateCrtKey key) {
    String name = DataplaneTokenNames.signingKey(mesh, serial);
    byte[] data = SigningKeyData.encode(key, name, encryption);
    Resource<SecretData> secret =
        new Resource<>(
            ResourceMeta.of(ResourceType.SECRET, mesh, name, Map.of()),
            new SecretData(Base64.getEncoder().encodeToString(data)));
    return store
        .create(secret)
        .map(
            written -> {
              SigningKeyInfo info =
                  new SigningKeyInfo(
                      mesh,
                      serial,
                      name,
                      written.version(),
                      written.creationTime(),
                      PemKeys.publicKeyOf(key),
                      encryption.isPresent());
              privateKeys.put(
                  name,
                  new CachedPrivateKey(info.fingerprint(), new SigningKey(serial, name, key)));
              return info;
            });
  }

  private Uni<SigningKey> privateKey(SigningKeyInfo info) {
    CachedPrivateKey cached = privateKeys.get(info.secretName());
    if (cached != null && cached.fingerprint().equals(info.fingerprint())) {
      return Uni.createFrom().item(cached.key());
    }
    return store
        .get(ResourceType.SECRET, info.mesh(), info.secretName(), SecretData.class)
        .map(
            secret -> {
              RSAPrivateCrtKey key =
                  SigningKeyData.privateKey(
                      Base64.getDecoder().decode(secret.spec().data()),
                      info.secretName(),
                      encryption);
              SigningKey signing = new SigningKey(info.serial(), info.secretName(), key);
              // What the store holds now signs (it is what verifiers read), even if it was replaced
              // since the keys were listed; cached under its own fingerprint.
              String fingerprint = SigningKeyInfo.fingerprintOf(PemKeys.publicKeyOf(key));
              if (privateKeys.size() > 10_000) {
                privateKeys.clear();
              }
              privateKeys.put(info.secretName(), new CachedPrivateKey(fingerprint, signing));
              return signing;
            });
  }

  /** Every serial of the mesh, in order (for tests and diagnostics). */
  Uni<List<Integer>> usedSerials(String mesh) {
    return store
        .redis()
        .send(Request.cmd(Command.ZRANGE).arg(store.keys().tokenKeySerials(mesh)).arg(0).arg(-1))
        .map(
            response -> {
              List<Integer> out = new ArrayList<>();
              response.forEach(r -> out.add(r.toInteger()));
              return out;
            });
  }
}

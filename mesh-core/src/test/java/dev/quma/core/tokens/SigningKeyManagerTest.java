package dev.quma.core.tokens;

import static dev.quma.core.testing.Fixtures.mesh;
import static dev.quma.core.tokens.TestTokens.await;
import static dev.quma.core.tokens.TestTokens.claims;
import static dev.quma.core.tokens.TestTokens.issue;
import static dev.quma.core.tokens.TestTokens.parts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.quma.core.auth.PemKeys;
import dev.quma.core.events.ChangeStream;
import dev.quma.core.model.ProxyType;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceMeta;
import dev.quma.core.model.ResourceType;
import dev.quma.core.model.SecretData;
import dev.quma.core.store.ListQuery;
import dev.quma.core.store.MeshNotFoundException;
import dev.quma.core.store.ResourceQueries;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.StoreSettings;
import dev.quma.core.tokens.TokenRefusedException.Reason;
import dev.quma.testing.PrivateRedis;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SigningKeyManagerTest {
  @RegisterExtension static PrivateRedis redis = new PrivateRedis();

  private static final Map<String, List<String>> TAGS = Map.of("kuma.io/service", List.of("redis"));

  private ResourceStore store;
  private ChangeStream changes;
  private SigningKeyManager keys;
  private DataplaneTokenVerifier verifier;

  @BeforeEach
  void defaultMesh() {
    store = new ResourceStore(redis.client(), StoreSettings.DEFAULTS);
    changes = new ChangeStream(redis.client(), store.keys());
    await(store.create(mesh("default")));
    keys = new SigningKeyManager(store, changes, Optional.empty());
    verifier = new DataplaneTokenVerifier(store, changes, Clock.systemUTC());
  }

  @Test
  void theFirstKeyIsStoredUnderKumasNameAsPkcs1Pem() {
    SigningKeyManager.SigningKey key = await(keys.signingKey("default"));

    assertThat(key.serial()).isEqualTo(1);
    Resource<SecretData> secret =
        await(
            store.get(
                ResourceType.SECRET,
                "default",
                "dataplane-token-signing-key-default-1",
                SecretData.class));
    String pem =
        new String(Base64.getDecoder().decode(secret.spec().data()), StandardCharsets.US_ASCII);
    assertThat(pem).startsWith("-----BEGIN RSA PRIVATE KEY-----");
    assertThat(PemKeys.parsePrivateKey(pem).getModulus()).isEqualTo(key.privateKey().getModulus());
    assertThat(key.privateKey().getModulus().bitLength()).isEqualTo(2048);
    assertThat(key.toString()).doesNotContain(key.privateKey().getModulus().toString(16));
  }

  @Test
  void rotationSignsWithTheNewKeyAndOldTokensVerifyUntilTheirKeyIsRemoved() {
    String fromKey1 =
        issue(keys, claims("default", "redis-1", TAGS, ProxyType.DATAPLANE, Instant.now()));

    SigningKeyInfo rotated = await(keys.rotate("default"));
    String fromKey2 =
        issue(keys, claims("default", "redis-1", TAGS, ProxyType.DATAPLANE, Instant.now()));

    assertThat(rotated.serial()).isEqualTo(2);
    assertThat(header(fromKey2)).contains("\"kid\":\"2\"");
    assertThat(await(verify(fromKey1)).keySerial()).isEqualTo(1);
    assertThat(await(verify(fromKey2)).keySerial()).isEqualTo(2);

    await(keys.remove("default", 1));
    verifier.invalidate("default");

    TokenRefusedException refusal =
        catchThrowableOfType(() -> await(verify(fromKey1)), TokenRefusedException.class);
    assertThat(refusal.reason()).isEqualTo(Reason.UNKNOWN_SIGNING_KEY);
    assertThat(await(verify(fromKey2)).keySerial()).isEqualTo(2);
    assertThat(await(keys.keys("default"))).extracting(SigningKeyInfo::serial).containsExactly(2);
  }

  @Test
  void serialsAreNeverGivenToASecondKey() {
    await(keys.signingKey("default"));
    await(keys.rotate("default"));
    await(keys.remove("default", 2));
    assertThat(await(keys.rotate("default")).serial()).isEqualTo(3);
    await(keys.remove("default", 1));
    await(keys.remove("default", 3));

    // Every key gone: the next token needs a new first key, with a serial of its own.
    assertThat(await(keys.signingKey("default")).serial()).isEqualTo(4);
    assertThat(await(keys.usedSerials("default"))).containsExactly(1, 2, 3, 4);

    // Removing a key that is not there changes nothing.
    assertThatThrownBy(() -> await(keys.remove("default", 9)))
        .isInstanceOf(dev.quma.core.store.ResourceNotFoundException.class);
    assertThat(await(keys.usedSerials("default"))).containsExactly(1, 2, 3, 4);
  }

  @Test
  void twoReplicasCreatingTheFirstKeyOfNewMeshesAtOnceEndWithOneKeyEach() {
    Vertx vertx = Vertx.vertx();
    List<Redis> clients = new ArrayList<>();
    try {
      List<SigningKeyManager> replicas = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        Redis client = redis.clientOn(vertx);
        clients.add(client);
        ResourceStore replicaStore = new ResourceStore(client, StoreSettings.DEFAULTS);
        replicas.add(
            new SigningKeyManager(
                replicaStore, new ChangeStream(client, replicaStore.keys()), Optional.empty()));
      }
      for (int round = 0; round < 8; round++) {
        String mesh = "race-" + round;
        await(store.create(mesh(mesh)));
        List<SigningKeyManager.SigningKey> got =
            await(
                Uni.join()
                    .all(replicas.get(0).signingKey(mesh), replicas.get(1).signingKey(mesh))
                    .andFailFast());

        var secrets =
            await(new ResourceQueries(store).list(ResourceType.SECRET, mesh, ListQuery.all()));
        assertThat(secrets.items())
            .as("secrets of %s", mesh)
            .extracting(Resource::name)
            .containsExactly("dataplane-token-signing-key-" + mesh + "-1");
        assertThat(got.get(0).serial()).isEqualTo(1);
        assertThat(got.get(1).serial()).isEqualTo(1);
        assertThat(got.get(0).privateKey().getModulus())
            .as("both replicas sign with the one key")
            .isEqualTo(got.get(1).privateKey().getModulus());
      }
    } finally {
      clients.forEach(Redis::close);
      vertx.closeAndAwait();
    }
  }

  @Test
  void aMeshThatDoesNotExistGetsNoKey() {
    assertThatThrownBy(() -> await(keys.signingKey("nowhere")))
        .isInstanceOf(MeshNotFoundException.class);
    assertThat(
            await(new ResourceQueries(store).list(ResourceType.SECRET, "nowhere", ListQuery.all()))
                .total())
        .isZero();
  }

  @Test
  void deletingTheMeshTakesItsKeysAndItsTokens() {
    String token = issue(keys, claims("default", "redis-1", TAGS, null, Instant.now()));
    await(verify(token));

    await(store.delete(ResourceType.MESH, null, "default", OptionalLong.empty()));
    await(store.create(mesh("default")));
    verifier.invalidate("default");

    assertThat(
            catchThrowableOfType(() -> await(verify(token)), TokenRefusedException.class).reason())
        .isEqualTo(Reason.UNKNOWN_SIGNING_KEY);
    assertThat(await(keys.signingKey("default")).serial())
        .as("the re-created mesh counts on")
        .isEqualTo(2);
  }

  @Test
  void aKeyMadeByKumasToolsIsUsedAsIs() {
    await(keys.signingKey("default"));
    var kumaKey = PemKeys.generate(2048);
    await(
        store.create(
            new Resource<>(
                ResourceMeta.of(
                    ResourceType.SECRET,
                    "default",
                    "dataplane-token-signing-key-default-7",
                    Map.of()),
                new SecretData(
                    Base64.getEncoder()
                        .encodeToString(
                            PemKeys.toPkcs1Pem(kumaKey).getBytes(StandardCharsets.US_ASCII))))));

    SigningKeyManager.SigningKey signing = await(keys.signingKey("default"));
    assertThat(signing.serial()).isEqualTo(7);
    assertThat(signing.privateKey().getModulus()).isEqualTo(kumaKey.getModulus());
    String token = issue(keys, claims("default", "redis-1", TAGS, null, Instant.now()));
    assertThat(await(verify(token)).keySerial()).isEqualTo(7);
    assertThat(await(keys.rotate("default")).serial()).isEqualTo(8);
  }

  @Test
  void encryptedKeysKeepThePrivateHalfSealedAndStillVerifyWithoutTheEncryptionKey() {
    KeyEncryption encryption =
        KeyEncryption.fromBase64(Base64.getEncoder().encodeToString(new byte[32]));
    SigningKeyManager sealing = new SigningKeyManager(store, changes, Optional.of(encryption));
    String token = issue(sealing, claims("default", "redis-1", TAGS, null, Instant.now()));

    Resource<SecretData> secret =
        await(
            store.get(
                ResourceType.SECRET,
                "default",
                "dataplane-token-signing-key-default-1",
                SecretData.class));
    String stored =
        new String(Base64.getDecoder().decode(secret.spec().data()), StandardCharsets.US_ASCII);
    assertThat(stored)
        .contains("-----BEGIN PUBLIC KEY-----")
        .contains("-----BEGIN QUMA ENCRYPTED RSA PRIVATE KEY-----")
        .doesNotContain("BEGIN RSA PRIVATE KEY");
    assertThat(await(verify(token)).keySerial()).isEqualTo(1);
    assertThat(await(sealing.keys("default")).get(0).encrypted()).isTrue();

    assertThatThrownBy(() -> await(keys.signingKey("default")))
        .isInstanceOf(SigningKeyUnavailableException.class)
        .hasMessageContaining("is encrypted, and no encryption key is configured");
    byte[] other = new byte[32];
    other[0] = 1;
    SigningKeyManager wrongKey =
        new SigningKeyManager(
            store,
            changes,
            Optional.of(KeyEncryption.fromBase64(Base64.getEncoder().encodeToString(other))));
    assertThatThrownBy(() -> await(wrongKey.signingKey("default")))
        .isInstanceOf(SigningKeyUnavailableException.class)
        .hasMessageContaining(
            "was encrypted with the key of fingerprint " + encryption.fingerprint());
  }

  @Test
  void anEncryptedKeyCannotBePassedOffAsAnotherSerial() {
    KeyEncryption encryption =
        KeyEncryption.fromBase64(Base64.getEncoder().encodeToString(new byte[32]));
    SigningKeyManager sealing = new SigningKeyManager(store, changes, Optional.of(encryption));
    await(sealing.signingKey("default"));
    Resource<SecretData> first =
        await(
            store.get(
                ResourceType.SECRET,
                "default",
                "dataplane-token-signing-key-default-1",
                SecretData.class));
    await(
        store.create(
            new Resource<>(
                ResourceMeta.of(
                    ResourceType.SECRET,
                    "default",
                    "dataplane-token-signing-key-default-9",
                    Map.of()),
                first.spec())));

    assertThatThrownBy(() -> await(sealing.signingKey("default")))
        .isInstanceOf(SigningKeyUnavailableException.class)
        .hasMessageContaining("does not decrypt");
  }

  private Uni<VerifiedDataplaneToken> verify(String token) {
    return verifier.verify(token, "default", "redis-1", ProxyType.DATAPLANE, null);
  }

  private static String header(String token) {
    return new String(Base64.getUrlDecoder().decode(parts(token)[0]), StandardCharsets.UTF_8);
  }
}

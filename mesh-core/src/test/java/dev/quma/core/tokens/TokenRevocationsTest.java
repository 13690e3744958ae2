package dev.quma.core.tokens;

import static dev.quma.core.testing.Fixtures.mesh;
import static dev.quma.core.tokens.TestTokens.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quma.core.model.ResourceType;
import dev.quma.core.model.SecretData;
import dev.quma.core.store.MeshNotFoundException;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.StoreSettings;
import dev.quma.testing.PrivateRedis;
import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TokenRevocationsTest {
  @RegisterExtension static PrivateRedis redis = new PrivateRedis();

  private ResourceStore store;

  @BeforeEach
  void defaultMesh() {
    store = new ResourceStore(redis.client(), StoreSettings.DEFAULTS);
    await(store.create(mesh("default")));
  }

  @Test
  void theListIsKumasSecretOfCommaSeparatedIds() {
    TokenRevocations revocations = new TokenRevocations(store);
    assertThat(await(revocations.revoke("default", List.of("a-1", "b-2"))))
        .containsExactlyInAnyOrder("a-1", "b-2");
    assertThat(await(revocations.revoke("default", List.of("b-2", "c-3")))).containsExactly("c-3");

    String data =
        new String(
            Base64.getDecoder()
                .decode(
                    await(
                            store.get(
                                ResourceType.SECRET,
                                "default",
                                "dataplane-token-revocations-default",
                                SecretData.class))
                        .spec()
                        .data()),
            StandardCharsets.UTF_8);
    assertThat(data).isEqualTo("a-1,b-2,c-3");
    assertThat(await(revocations.revoked("default")))
        .containsExactlyInAnyOrder("a-1", "b-2", "c-3");
  }

  @Test
  void concurrentRevocationsFromSeveralReplicasAllLand() {
    List<Uni<Set<String>>> writes = new ArrayList<>();
    Set<String> all = new HashSet<>();
    for (int i = 0; i < 12; i++) {
      String id = UUID.randomUUID().toString();
      all.add(id);
      writes.add(new TokenRevocations(store).revoke("default", List.of(id)));
    }
    await(Uni.join().all(writes).andFailFast());

    assertThat(await(new TokenRevocations(store).revoked("default"))).isEqualTo(all);
  }

  @Test
  void aMeshThatDoesNotExistHasNoList() {
    assertThatThrownBy(() -> await(new TokenRevocations(store).revoke("nowhere", List.of("x"))))
        .isInstanceOf(MeshNotFoundException.class);
  }
}

package dev.quma.tokens.keys;

import dev.quma.core.model.ResourceType;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.StoreRecovery;
import dev.quma.core.tokens.SigningKeyManager;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * After a wipe, forgets the signing keys (public and private) cached from the old store, and makes
 * the first key again in each mesh this service signed for that exists in the new store (any other
 * mesh gets its key on first need, as in a new store). The new keys take serial 1 again, under
 * another fingerprint: tokens of the lost keys stop verifying, as they must, since the revocations
 * were lost with them.
 */
@ApplicationScoped
public class SigningKeysRecovery implements StoreRecovery {
  private static final Logger LOG = Logger.getLogger(SigningKeysRecovery.class);

  private final SigningKeyManager keys;
  private final ResourceStore store;
  private volatile Set<String> signedFor = Set.of();

  public SigningKeysRecovery(SigningKeyManager keys, ResourceStore store) {
    this.keys = keys;
    this.store = store;
  }

  @Override
  public String name() {
    return "the signing keys";
  }

  @Override
  public void forget() {
    Set<String> meshes = keys.forgetAll();
    if (!meshes.isEmpty()) {
      signedFor = meshes;
    }
  }

  @Override
  public Uni<Void> recreate() {
    Uni<Void> chain = Uni.createFrom().voidItem();
    for (String mesh : signedFor) {
      chain =
          chain.flatMap(
              x ->
                  store
                      .find(ResourceType.MESH, null, mesh)
                      .flatMap(
                          found ->
                              found.isEmpty()
                                  ? Uni.createFrom().voidItem()
                                  : keys.signingKey(mesh)
                                      .invoke(
                                          key ->
                                              LOG.infof(
                                                  "made signing key %d of mesh %s again",
                                                  key.serial(), mesh))
                                      .replaceWithVoid()));
    }
    return chain.invoke(() -> signedFor = Set.of());
  }
}

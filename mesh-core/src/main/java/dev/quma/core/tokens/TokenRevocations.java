package dev.quma.core.tokens;

import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceMeta;
import dev.quma.core.model.ResourceType;
import dev.quma.core.model.SecretData;
import dev.quma.core.store.ResourceConflictException;
import dev.quma.core.store.ResourceNotFoundException;
import dev.quma.core.store.ResourceStore;
import io.smallrye.mutiny.Uni;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Writes each mesh's list of revoked dataplane token ids, where verifiers read it: the Secret
 * {@code dataplane-token-revocations-{mesh}}, in Kuma's comma-separated format. Adding is a
 * read-modify-write at the version read, retried on conflict, so concurrent revocations from
 * several replicas all land.
 */
public final class TokenRevocations {
  private static final int ATTEMPTS = 20;

  private final ResourceStore store;

  public TokenRevocations(ResourceStore store) {
    this.store = store;
  }

  /** Adds {@code ids} to the mesh's list; answers those that were not on it before. */
  public Uni<Set<String>> revoke(String mesh, Collection<String> ids) {
    return change(mesh, new LinkedHashSet<>(ids), true, ATTEMPTS);
  }

  /** The ids on the mesh's list. */
  public Uni<Set<String>> revoked(String mesh) {
    return store
        .find(ResourceType.SECRET, mesh, DataplaneTokenNames.revocations(mesh), SecretData.class)
        .map(found -> found.map(TokenRevocations::ids).orElse(Set.of()));
  }

  /**
   * Takes {@code ids} off the mesh's list (tokens that expired long ago need not be listed: the
   * expiry refuses them anyway); answers those that were on it.
   */
  public Uni<Set<String>> forget(String mesh, Collection<String> ids) {
    return change(mesh, new LinkedHashSet<>(ids), false, ATTEMPTS);
  }

  /** Adds or removes {@code ids}; answers those that changed the list. */
  private Uni<Set<String>> change(String mesh, Set<String> ids, boolean add, int attemptsLeft) {
    String name = DataplaneTokenNames.revocations(mesh);
    return store
        .find(ResourceType.SECRET, mesh, name, SecretData.class)
        .flatMap(
            found -> {
              Set<String> listed =
                  new LinkedHashSet<>(found.map(TokenRevocations::ids).orElse(Set.of()));
              Set<String> changed = new LinkedHashSet<>();
              for (String id : ids) {
                if (add ? listed.add(id) : listed.remove(id)) {
                  changed.add(id);
                }
              }
              if (changed.isEmpty()) {
                return Uni.createFrom().item(Set.<String>of());
              }
              Resource<SecretData> list =
                  new Resource<>(
                      ResourceMeta.of(
                          ResourceType.SECRET,
                          mesh,
                          name,
                          found.map(r -> (Map<String, String>) r.meta().labels()).orElse(Map.of())),
                      new SecretData(
                          Base64.getEncoder().encodeToString(RevocationList.format(listed))));
              Uni<?> write =
                  found.isPresent()
                      ? store.update(list, OptionalLong.of(found.get().version()))
                      : store.create(list);
              return write.replaceWith(java.util.Collections.unmodifiableSet(changed));
            })
        // A concurrent writer changed (or removed) the list since it was read: read it again.
        .onFailure(
            e -> e instanceof ResourceConflictException || e instanceof ResourceNotFoundException)
        .recoverWithUni(
            conflict ->
                attemptsLeft > 1
                    ? change(mesh, ids, add, attemptsLeft - 1)
                    : Uni.createFrom().failure(conflict));
  }

  private static Set<String> ids(Resource<SecretData> secret) {
    String data = secret.spec().data();
    return data == null ? Set.of() : RevocationList.parse(Base64.getDecoder().decode(data));
  }
}

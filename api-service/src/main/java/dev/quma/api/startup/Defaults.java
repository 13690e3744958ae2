package dev.quma.api.startup;

import dev.quma.api.ApiConfig;
import dev.quma.core.auth.UserTokens;
import dev.quma.core.model.Mesh;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceMeta;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.DefaultMeshMarker;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * What must exist once the API is up: the {@code default} mesh (created once in the store's life,
 * so a deleted one stays deleted) and the initial admin token. Every replica runs this at start;
 * the store makes each step create-if-absent. While Redis is unreachable it retries, and the
 * service reports not ready.
 */
@ApplicationScoped
public class Defaults {
  private static final Logger LOG = Logger.getLogger(Defaults.class);
  public static final String DEFAULT_MESH = "default";

  private final DefaultMeshMarker meshes;
  private final UserTokens tokens;
  private final DefaultsConfig defaults;
  private final ApiConfig api;
  private volatile boolean ready;

  public Defaults(
      DefaultMeshMarker meshes, UserTokens tokens, DefaultsConfig defaults, ApiConfig api) {
    this.meshes = meshes;
    this.tokens = tokens;
    this.defaults = defaults;
    this.api = api;
  }

  void onStart(@Observes StartupEvent event) {
    ensure()
        .onFailure()
        .invoke(e -> LOG.warnf("could not create the defaults yet (%s); retrying", e.getMessage()))
        .onFailure()
        .retry()
        .withBackOff(Duration.ofMillis(500), Duration.ofSeconds(10))
        .indefinitely()
        .subscribe()
        .with(x -> {}, e -> LOG.error("giving up on creating the defaults", e));
  }

  /** Creates what is missing; safe to call again at any time. */
  public Uni<Void> ensure() {
    Uni<Boolean> mesh =
        defaults.skipMeshCreation()
            ? Uni.createFrom().item(false)
            : meshes.createOnce(defaultMesh());
    return mesh.invoke(
            created -> {
              if (created) {
                LOG.info("created the default mesh");
              }
            })
        .flatMap(x -> tokens.ensureAdminToken(api.adminTokenValidFor()))
        .invoke(() -> ready = true);
  }

  public boolean ready() {
    return ready;
  }

  /** The store lost its data: not ready until {@link #ensure} made the defaults again. */
  void lost() {
    ready = false;
  }

  private static Resource<Mesh> defaultMesh() {
    return new Resource<>(
        ResourceMeta.of(ResourceType.MESH, null, DEFAULT_MESH, Map.of()), Mesh.EMPTY);
  }
}

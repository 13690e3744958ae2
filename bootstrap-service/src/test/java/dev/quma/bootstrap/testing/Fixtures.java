package dev.quma.bootstrap.testing;

import dev.quma.core.codec.Format;
import dev.quma.core.codec.ResourceCodec;
import dev.quma.core.events.ChangeStream;
import dev.quma.core.insight.DataplaneInsight;
import dev.quma.core.insight.InsightWriter;
import dev.quma.core.model.Dataplane;
import dev.quma.core.model.Mesh;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceMeta;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.ResourceConflictException;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.tokens.ProxyTokens;
import dev.quma.core.tokens.SigningKeyManager;
import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** The store-side setup of bootstrap tests: meshes, dataplanes, tokens, connected insights. */
public final class Fixtures {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final ResourceStore store;
  private final SigningKeyManager keys;
  private final InsightWriter insights;

  public Fixtures(ResourceStore store, ChangeStream changes, InsightWriter insights) {
    this.store = store;
    this.insights = insights;
    this.keys = new SigningKeyManager(store, changes, Optional.empty());
  }

  public void mesh(String name) {
    await(
        store
            .create(
                new Resource<>(
                    ResourceMeta.of(ResourceType.MESH, null, name, Map.of()), Mesh.EMPTY))
            .onFailure(ResourceConflictException.class)
            .recoverWithNull());
  }

  public String token(String mesh, String name) {
    return token(mesh, name, Duration.ofHours(1));
  }

  public String token(String mesh, String name, Duration validity) {
    return await(ProxyTokens.issue(keys, mesh, name, validity));
  }

  public Resource<Dataplane> store(String json) {
    Resource<Dataplane> dataplane =
        ResourceCodec.instance()
            .<Dataplane>decode(
                json.getBytes(StandardCharsets.UTF_8), Format.JSON, ResourceType.DATAPLANE)
            .toResource(ResourceType.DATAPLANE);
    await(store.put(dataplane, OptionalLong.empty()));
    return dataplane;
  }

  /** Marks a stored dataplane as connected to an xDS replica right now. */
  public void connected(String mesh, String name) {
    connected(mesh, name, Instant.now());
  }

  /** An open subscription whose replica last wrote a heartbeat at {@code heartbeat}. */
  public void connected(String mesh, String name, Instant heartbeat) {
    DataplaneInsight.DiscoverySubscription open =
        new DataplaneInsight.DiscoverySubscription(
            "stream-1", "xds-1", heartbeat, null, null, null, 1);
    await(insights.open(mesh, name, open, heartbeat));
  }

  public static <T> T await(Uni<T> uni) {
    return uni.await().atMost(WAIT);
  }
}

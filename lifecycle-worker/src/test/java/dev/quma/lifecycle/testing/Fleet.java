package dev.quma.lifecycle.testing;

import dev.quma.core.codec.Format;
import dev.quma.core.codec.ResourceCodec;
import dev.quma.core.insight.DataplaneInsight;
import dev.quma.core.insight.DataplaneInsight.DiscoverySubscription;
import dev.quma.core.insight.InsightReader;
import dev.quma.core.insight.InsightWriter;
import dev.quma.core.model.Dataplane;
import dev.quma.core.model.Labels;
import dev.quma.core.model.Mesh;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceMeta;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.ResourceStore;
import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Dataplanes in a real store, and what the xDS tier writes about them: connects, heartbeats and
 * disconnects go through the xDS tier's own {@link InsightWriter}.
 */
public final class Fleet {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final ResourceStore store;
  private final InsightWriter writer;
  private final InsightReader insights;

  public Fleet(ResourceStore store, InsightWriter writer, InsightReader insights) {
    this.store = store;
    this.writer = writer;
    this.insights = insights;
  }

  public void mesh(String name) {
    await(
        store.put(
            new Resource<>(ResourceMeta.of(ResourceType.MESH, null, name, Map.of()), Mesh.EMPTY),
            OptionalLong.empty()));
  }

  /** A dataplane registered by the xDS tier from the proxy's own resource. */
  public long direct(String mesh, String name) {
    return create(mesh, name, Labels.direct());
  }

  /** A dataplane created through the API. */
  public long indirect(String mesh, String name) {
    return create(mesh, name, Map.of());
  }

  private long create(String mesh, String name, Map<String, String> labels) {
    return await(store.put(dataplane(mesh, name, labels), OptionalLong.empty())).version();
  }

  /** The proxy is connected (an open subscription), last heard from at {@code heartbeat}. */
  public void connected(String mesh, String name, Instant since, Instant heartbeat) {
    if (!await(writer.open(mesh, name, subscription(since, null), heartbeat))) {
      throw new IllegalStateException(mesh + "/" + name + " does not exist");
    }
  }

  /**
   * The proxy, connected since {@code since} (now or before), was last heard from at {@code at},
   * when its stream closed (gracefully, or the sweep closed it).
   */
  public void disconnected(String mesh, String name, Instant since, Instant at) {
    String id = subscription(since, null).id();
    boolean open =
        insight(mesh, name).subscriptions().stream()
            .anyMatch(s -> s.id().equals(id) && s.disconnectTime() == null);
    if (open) {
      await(writer.heartbeat(Map.of(mesh, List.of(name)), at));
    } else {
      connected(mesh, name, since, at);
    }
    await(writer.close(mesh, name, subscription(since, at)));
  }

  private static DiscoverySubscription subscription(Instant since, Instant disconnected) {
    return new DiscoverySubscription(
        "sub-" + since.toEpochMilli(), "xds-1", since, disconnected, null, null, 1);
  }

  public DataplaneInsight insight(String mesh, String name) {
    return await(insights.get(mesh, name));
  }

  public boolean exists(String mesh, String name) {
    return await(store.find(ResourceType.DATAPLANE, mesh, name)).isPresent();
  }

  public static Resource<Dataplane> dataplane(
      String mesh, String name, Map<String, String> labels) {
    String yaml =
        """
        type: Dataplane
        mesh: %s
        name: %s
        networking:
          address: 10.0.0.1
          inbound:
          - port: 8080
            tags:
              kuma.io/service: web
        """
            .formatted(mesh, name);
    Resource<Dataplane> decoded =
        ResourceCodec.instance()
            .<Dataplane>decode(
                yaml.getBytes(StandardCharsets.UTF_8), Format.YAML, ResourceType.DATAPLANE)
            .toResource(ResourceType.DATAPLANE);
    return new Resource<>(
        ResourceMeta.of(ResourceType.DATAPLANE, mesh, name, labels), decoded.spec());
  }

  public static <T> T await(Uni<T> uni) {
    return uni.await().atMost(WAIT);
  }
}

package dev.quma.lifecycle.testing;

import dev.quma.core.codec.Format;
import dev.quma.core.codec.ResourceCodec;
import dev.quma.core.insight.DataplaneInsight;
import dev.quma.core.insight.DataplaneInsight.DiscoverySubscription;
import dev.quma.core.insight.InsightStore;
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
 * disconnects go through {@link InsightStore#put}, as the xDS tier's do.
 */
public final class Fleet {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final ResourceStore store;
  private final InsightStore insights;

  public Fleet(ResourceStore store, InsightStore insights) {
    this.store = store;
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
    put(
        mesh,
        name,
        new DiscoverySubscription(
            "sub-" + since.toEpochMilli(), "xds-1", since, null, null, null, 1),
        heartbeat);
  }

  /** The proxy's stream closed (gracefully, or the sweep closed it) at {@code at}. */
  public void disconnected(String mesh, String name, Instant since, Instant at) {
    put(
        mesh,
        name,
        new DiscoverySubscription("sub-" + since.toEpochMilli(), "xds-1", since, at, null, null, 1),
        at);
  }

  public DataplaneInsight insight(String mesh, String name) {
    return await(insights.get(mesh, name));
  }

  public boolean exists(String mesh, String name) {
    return await(store.find(ResourceType.DATAPLANE, mesh, name)).isPresent();
  }

  private void put(
      String mesh, String name, DiscoverySubscription subscription, Instant heartbeat) {
    if (!await(
        insights.put(
            mesh, name, new DataplaneInsight(List.of(subscription), null, null), heartbeat))) {
      throw new IllegalStateException(mesh + "/" + name + " does not exist");
    }
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

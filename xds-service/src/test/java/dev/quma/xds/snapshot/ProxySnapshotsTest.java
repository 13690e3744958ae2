package dev.quma.xds.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.collect.Maps;
import dev.quma.core.model.Dataplane;
import dev.quma.xds.generate.ProxyConfigGenerator;
import dev.quma.xds.generate.ProxyResources;
import dev.quma.xds.generate.ResourceMemo;
import dev.quma.xds.mesh.MeshView;
import dev.quma.xds.snapshot.ProxySnapshots.DataplaneState;
import dev.quma.xds.testing.Seeds;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Incremental snapshots agree with the full generator, and a change touches only its consumers. */
class ProxySnapshotsTest {
  private final AtomicLong set = new AtomicLong();
  private final ProxySnapshots snapshots = new ProxySnapshots(set::addAndGet);

  @Test
  void incrementalSnapshotsEqualAFullRecomputeAndOnlyConsumersAreUpdated() {
    Map<String, DataplaneState> mesh = new HashMap<>();
    mesh.put("redis-1", state(1, Seeds.redis("redis-1", "10.0.0.1")));
    mesh.put("backend-1", state(2, Seeds.backend("backend-1", "10.0.0.2")));
    mesh.put("backend-2", state(3, Seeds.backend("backend-2", "10.0.0.3")));
    snapshots.loadMesh("default", mesh);
    for (String name : List.of("redis-1", "backend-1", "backend-2")) {
      assertThat(snapshots.connect(new ProxyKey("default", name), mesh.get(name).spec())).isTrue();
    }

    // A second redis instance: the two backends consume redis, redis-1 consumes nothing.
    long before = set.get();
    var result =
        snapshots.apply("default", Map.of("redis-2", state(4, Seeds.redis("redis-2", "10.0.0.4"))));
    assertThat(result.snapshotsUpdated()).isEqualTo(2);
    assertThat(set.get() - before).isEqualTo(2);

    MeshView expected = new MeshView("default");
    mesh.put("redis-2", state(4, Seeds.redis("redis-2", "10.0.0.4")));
    mesh.forEach((name, state) -> expected.apply(name, state.version(), state.spec()));
    for (String name : List.of("redis-1", "backend-1", "backend-2")) {
      // From scratch: a generator with an empty memo of its own.
      ProxyResources full =
          new ProxyConfigGenerator(new ResourceMemo()).generate(mesh.get(name).spec(), expected);
      Snapshot snapshot = snapshots.cache().getSnapshot("default." + name);
      assertThat(snapshot.listeners().resources())
          .isEqualTo(Maps.transformValues(full.listeners(), VersionedResource::resource));
      assertThat(snapshot.clusters().resources())
          .isEqualTo(Maps.transformValues(full.clusters(), VersionedResource::resource));
      assertThat(snapshot.endpoints().resources())
          .isEqualTo(Maps.transformValues(full.loadAssignments(), VersionedResource::resource));
    }
    assertThat(
            snapshots
                .cache()
                .getSnapshot("default.backend-1")
                .endpoints()
                .resources()
                .get("redis")
                .getEndpoints(0)
                .getLbEndpointsCount())
        .isEqualTo(2);
  }

  @Test
  void unchangedTypesKeepTheirVersionAndProxiesShareResources() {
    Map<String, DataplaneState> mesh = new HashMap<>();
    mesh.put("redis-1", state(1, Seeds.redis("redis-1", "10.0.0.1")));
    mesh.put("backend-1", state(2, Seeds.backend("backend-1", "10.0.0.2")));
    mesh.put("backend-2", state(3, Seeds.backend("backend-2", "10.0.0.3")));
    snapshots.loadMesh("default", mesh);
    snapshots.connect(new ProxyKey("default", "backend-1"), mesh.get("backend-1").spec());
    snapshots.connect(new ProxyKey("default", "backend-2"), mesh.get("backend-2").spec());
    Snapshot first = snapshots.cache().getSnapshot("default.backend-1");

    snapshots.apply("default", Map.of("redis-1", state(5, Seeds.redis("redis-1", "10.0.0.9"))));

    Snapshot second = snapshots.cache().getSnapshot("default.backend-1");
    assertThat(second.version(Resources.ResourceType.LISTENER))
        .isEqualTo(first.version(Resources.ResourceType.LISTENER));
    assertThat(second.version(Resources.ResourceType.CLUSTER))
        .isEqualTo(first.version(Resources.ResourceType.CLUSTER));
    assertThat(second.version(Resources.ResourceType.ENDPOINT))
        .isNotEqualTo(first.version(Resources.ResourceType.ENDPOINT));
    // Both backends hold the very same load assignment object for redis.
    assertThat(
            snapshots.cache().getSnapshot("default.backend-2").endpoints().resources().get("redis"))
        .isSameAs(second.endpoints().resources().get("redis"));
  }

  @Test
  void aProtocolChangeRebuildsTheConsumersListenersAndClusters() {
    Map<String, DataplaneState> mesh = new HashMap<>();
    mesh.put("redis-1", state(1, Seeds.redis("redis-1", "10.0.0.1")));
    mesh.put("backend-1", state(2, Seeds.backend("backend-1", "10.0.0.2")));
    snapshots.loadMesh("default", mesh);
    snapshots.connect(new ProxyKey("default", "backend-1"), mesh.get("backend-1").spec());
    String httpRedis =
        Seeds.redis("redis-1", "10.0.0.1")
            .replace(
                "\"kuma.io/service\": \"redis\"",
                "\"kuma.io/service\": \"redis\", \"kuma.io/protocol\": \"http2\"");

    snapshots.apply("default", Map.of("redis-1", state(3, httpRedis)));

    Snapshot snapshot = snapshots.cache().getSnapshot("default.backend-1");
    assertThat(snapshot.clusters().resources().get("redis").getTypedExtensionProtocolOptionsMap())
        .containsKey("envoy.extensions.upstreams.http.v3.HttpProtocolOptions");
    assertThat(
            snapshot
                .listeners()
                .resources()
                .get("outbound:127.0.0.1:10000")
                .getFilterChains(0)
                .getFilters(0)
                .getName())
        .isEqualTo("envoy.filters.network.http_connection_manager");
  }

  @Test
  void aJoiningProxyReachesConsumersWithTheChangeEventOfItsDataplane() {
    snapshots.loadMesh("default", Map.of());
    DataplaneState backend = state(1, Seeds.backend("backend-1", "10.0.0.2"));
    snapshots.connect(new ProxyKey("default", "backend-1"), backend.spec());
    assertThat(redisEndpointsOf("default.backend-1")).isZero();

    DataplaneState redis = state(2, Seeds.redis("redis-1", "10.0.0.1"));
    snapshots.connect(new ProxyKey("default", "redis-1"), redis.spec());
    assertThat(redisEndpointsOf("default.backend-1"))
        .as("connecting computes the joining proxy's own snapshot only")
        .isZero();
    assertThat(snapshots.cache().getSnapshot("default.redis-1")).isNotNull();

    snapshots.apply("default", Map.of("redis-1", redis));

    var assignment =
        snapshots.cache().getSnapshot("default.backend-1").endpoints().resources().get("redis");
    assertThat(
            assignment
                .getEndpoints(0)
                .getLbEndpoints(0)
                .getEndpoint()
                .getAddress()
                .getSocketAddress()
                .getAddress())
        .isEqualTo("10.0.0.1");
  }

  private int redisEndpointsOf(String nodeId) {
    return snapshots
        .cache()
        .getSnapshot(nodeId)
        .endpoints()
        .resources()
        .get("redis")
        .getEndpointsCount();
  }

  private static DataplaneState state(long version, String json) {
    Dataplane spec = Seeds.resource(json).spec();
    return new DataplaneState(version, spec);
  }
}

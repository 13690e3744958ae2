package dev.quma.xds.generate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.protobuf.Message;
import dev.quma.core.codec.Format;
import dev.quma.core.codec.ResourceCodec;
import dev.quma.core.model.Dataplane;
import dev.quma.core.model.Mesh;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceType;
import dev.quma.core.validation.ResourceValidator;
import dev.quma.xds.snapshot.ProxyKey;
import dev.quma.xds.snapshot.ProxySnapshots;
import dev.quma.xds.snapshot.ProxySnapshots.DataplaneState;
import dev.quma.xds.testing.SnapshotRules;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What production serves each proxy of a golden case: {@code NAME.input.yaml} holds a mesh's
 * dataplanes (and which of them are the proxies to look at; and the mesh resource, when its
 * settings matter), {@code NAME.PROXY.golden.yaml} the listeners, clusters and load assignments
 * that proxy's snapshot holds. The snapshots come from {@link ProxySnapshots}, the class the xDS
 * server serves from, along both of its paths: the mesh loaded at once (as at start-up), and the
 * dataplanes arriving one change at a time after the proxies connected (the incremental updates).
 * Both must give the golden file, and what they give must pass Envoy's own rules (the envoy-rules
 * module).
 */
class ProxyConfigGoldenTest {
  private static final String MESH = "default";

  @ParameterizedTest
  @ValueSource(strings = {"seeds", "services", "fanout", "gateway", "ipv6", "metrics"})
  void servesWhatTheGoldenFilesSay(String name) throws IOException {
    JsonNode input =
        new YAMLMapper().readTree(GoldenFiles.DIR.resolve(name + ".input.yaml").toFile());
    Map<String, DataplaneState> mesh = new LinkedHashMap<>();
    long version = 1;
    for (JsonNode document : input.get("dataplanes")) {
      Resource<Dataplane> dataplane =
          ResourceCodec.instance()
              .<Dataplane>decode(
                  new YAMLMapper().writeValueAsBytes(document), Format.YAML, ResourceType.DATAPLANE)
              .toResource(ResourceType.DATAPLANE);
      ResourceValidator.validate(dataplane);
      mesh.put(dataplane.name(), new DataplaneState(version++, dataplane.spec()));
    }
    List<String> proxies = new ArrayList<>();
    input.get("proxies").forEach(proxy -> proxies.add(proxy.asText()));
    assertThat(proxies).isNotEmpty();

    // The mesh resource, when the case has one: its settings (metrics) reach every proxy of it.
    Mesh meshSpec = Mesh.EMPTY;
    if (input.has("mesh")) {
      meshSpec =
          ResourceCodec.instance()
              .<Mesh>decode(
                  new YAMLMapper().writeValueAsBytes(input.get("mesh")),
                  Format.YAML,
                  ResourceType.MESH)
              .toResource(ResourceType.MESH)
              .spec();
    }
    ProxySnapshots loaded = new ProxySnapshots(set -> {});
    loaded.meshSpec(MESH, meshSpec);
    loaded.loadMesh(MESH, mesh);
    ProxySnapshots incremental = new ProxySnapshots(set -> {});
    incremental.loadMesh(MESH, Map.of());
    for (String proxy : proxies) {
      ProxyKey key = new ProxyKey(MESH, proxy);
      assertThat(loaded.connect(key, mesh.get(proxy).spec())).isTrue();
      assertThat(incremental.connect(key, mesh.get(proxy).spec())).isTrue();
    }
    mesh.forEach((dataplane, state) -> incremental.apply(MESH, Map.of(dataplane, state)));
    // The mesh's spec read after the proxies connected: they are rebuilt with it.
    incremental.meshSpec(MESH, meshSpec);

    for (String proxy : proxies) {
      String actual = render(loaded, proxy);
      assertThat(render(incremental, proxy))
          .as(proxy + ": incremental updates end where a full load starts")
          .isEqualTo(actual);
      String file = name + "." + proxy + ".golden.yaml";
      assertThat(SnapshotRules.check(snapshot(loaded, proxy)))
          .as(file + ": Envoy's rules")
          .isEmpty();
      assertThat(actual)
          .as(file + " (rerun with -Dgolden.update=true to accept)")
          .isEqualTo(GoldenFiles.expected(file, actual));
    }
  }

  /** The proxy's snapshot as served: listeners, clusters, load assignments, each by name. */
  private static String render(ProxySnapshots snapshots, String proxy) {
    Snapshot snapshot = snapshot(snapshots, proxy);
    List<Message> all = new ArrayList<>(new TreeMap<>(snapshot.listeners().resources()).values());
    all.addAll(new TreeMap<>(snapshot.clusters().resources()).values());
    all.addAll(new TreeMap<>(snapshot.endpoints().resources()).values());
    return GoldenFiles.render(all);
  }

  private static Snapshot snapshot(ProxySnapshots snapshots, String proxy) {
    return snapshots.cache().getSnapshot(new ProxyKey(MESH, proxy).nodeId());
  }
}

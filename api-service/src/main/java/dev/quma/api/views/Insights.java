package dev.quma.api.views;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quma.core.codec.ResourceCodec;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceType;
import dev.quma.core.stats.DataplaneClass;
import dev.quma.core.stats.MeshStats;
import dev.quma.core.stats.MeshStatsStore;
import dev.quma.core.stats.StatusCounts;
import dev.quma.core.store.ResourceQueries;
import dev.quma.core.store.ResourceStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kuma's {@code MeshInsight} and {@code GlobalInsight}, read from the counters the writers keep
 * (see {@link MeshStatsStore}): a mesh costs two pipelined round trips, whatever its size. Every
 * object of the shapes is always present, with zeros, so a client can read any of them; Kuma leaves
 * zero counts out (protobuf JSON).
 */
@ApplicationScoped
public class Insights {
  /** The mesh-scoped types counted in {@code resources}. */
  static final List<ResourceType> MESH_TYPES = List.of(ResourceType.DATAPLANE, ResourceType.SECRET);

  private final ResourceStore store;
  private final ResourceQueries queries;
  private final MeshStatsStore stats;
  private final Clock clock;
  private final ObjectMapper json = ResourceCodec.instance().json();

  public Insights(ResourceStore store, ResourceQueries queries, MeshStatsStore stats, Clock clock) {
    this.store = store;
    this.queries = queries;
    this.stats = stats;
    this.clock = clock;
  }

  /**
   * The insight of one mesh: its record and its counters read at once (one round trip's time);
   * fails with ResourceNotFoundException when the mesh does not exist.
   */
  public Uni<ObjectNode> meshInsight(String mesh) {
    return Uni.combine()
        .all()
        .unis(
            store.get(ResourceType.MESH, null, mesh),
            stats.readAll(List.of(mesh)),
            queries.countAll(MESH_TYPES, List.of(mesh)))
        .asTuple()
        .map(
            read ->
                meshInsight(read.getItem1(), read.getItem2().get(mesh), read.getItem3().get(mesh)));
  }

  /** The insights of these meshes (their records, as listed), in their order. */
  public Uni<List<ObjectNode>> meshInsights(List<Resource<?>> meshes) {
    if (meshes.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    List<String> names = meshes.stream().map(Resource::name).toList();
    return Uni.combine()
        .all()
        .unis(stats.readAll(names), queries.countAll(MESH_TYPES, names))
        .asTuple()
        .map(
            counted -> {
              List<ObjectNode> out = new ArrayList<>(meshes.size());
              for (Resource<?> mesh : meshes) {
                out.add(
                    meshInsight(
                        mesh,
                        counted.getItem1().get(mesh.name()),
                        counted.getItem2().get(mesh.name())));
              }
              return out;
            });
  }

  private ObjectNode meshInsight(
      Resource<?> mesh, MeshStats counters, Map<ResourceType, Long> resources) {
    ObjectNode out = json.createObjectNode();
    out.put("type", "MeshInsight");
    out.put("name", mesh.name());
    out.put("creationTime", mesh.meta().creationTime().toString());
    out.put(
        "modificationTime",
        counters.modified() != null && counters.modified().isAfter(mesh.meta().modificationTime())
            ? counters.modified().toString()
            : mesh.meta().modificationTime().toString());
    out.set("dataplanes", dataplaneStat(counters.dataplanes()));
    ObjectNode byType = out.putObject("dataplanesByType");
    StatusCounts builtin = counters.dataplanesByKind().get(DataplaneClass.GATEWAY_BUILTIN);
    StatusCounts delegated = counters.dataplanesByKind().get(DataplaneClass.GATEWAY_DELEGATED);
    byType.set("standard", dataplaneStat(counters.dataplanesByKind().get(DataplaneClass.STANDARD)));
    byType.set("gateway", dataplaneStat(builtin.plus(delegated)));
    byType.set("gatewayBuiltin", dataplaneStat(builtin));
    byType.set("gatewayDelegated", dataplaneStat(delegated));
    out.putObject("policies");
    ObjectNode versions = out.putObject("dpVersions");
    versions.set("kumaDp", statMap(counters.kumaDpVersions()));
    versions.set("envoy", statMap(counters.envoyVersions()));
    ObjectNode mTLS = out.putObject("mTLS");
    mTLS.set("issuedBackends", statMap(counters.issuedBackends()));
    mTLS.set("supportedBackends", statMap(counters.supportedBackends()));
    ObjectNode services = out.putObject("services");
    services.put("total", counters.distinctServices());
    services.put("internal", counters.distinctServices());
    services.put("external", 0);
    ObjectNode counts = out.putObject("resources");
    resources.forEach((type, total) -> counts.putObject(type.kumaName()).put("total", total));
    return out;
  }

  /** {@code GlobalInsight}: every mesh's counters summed; no zones (standalone). */
  public Uni<ObjectNode> globalInsight() {
    return queries
        .meshNames()
        .flatMap(
            meshes ->
                Uni.combine()
                    .all()
                    .unis(
                        stats.readAll(meshes),
                        queries.countAll(MESH_TYPES, meshes),
                        queries.count(ResourceType.GLOBAL_SECRET, null))
                    .asTuple()
                    .map(
                        counted ->
                            globalInsight(
                                meshes.size(),
                                counted.getItem1().values(),
                                counted.getItem2().values(),
                                Map.of(ResourceType.GLOBAL_SECRET, counted.getItem3()))));
  }

  private ObjectNode globalInsight(
      int meshes,
      Iterable<MeshStats> perMesh,
      Iterable<Map<ResourceType, Long>> meshResources,
      Map<ResourceType, Long> globalResources) {
    Map<String, StatusCounts> dataplanes = new LinkedHashMap<>();
    Map<String, StatusCounts> services = new LinkedHashMap<>();
    for (MeshStats mesh : perMesh) {
      mesh.dataplanesByKind().forEach((kind, n) -> dataplanes.merge(kind, n, StatusCounts::plus));
      mesh.servicesByKind().forEach((kind, n) -> services.merge(kind, n, StatusCounts::plus));
    }
    ObjectNode out = json.createObjectNode();
    out.put("createdAt", clock.instant().toString());
    ObjectNode servicesNode = out.putObject("services");
    StatusCounts internal = services.getOrDefault(DataplaneClass.INTERNAL, StatusCounts.ZERO);
    StatusCounts builtin = services.getOrDefault(DataplaneClass.GATEWAY_BUILTIN, StatusCounts.ZERO);
    StatusCounts delegated =
        services.getOrDefault(DataplaneClass.GATEWAY_DELEGATED, StatusCounts.ZERO);
    servicesNode.put("total", internal.total() + builtin.total() + delegated.total());
    servicesNode.set("internal", fullStatus(internal));
    servicesNode.putObject("external").put("total", 0);
    servicesNode.set("gatewayBuiltin", fullStatus(builtin));
    servicesNode.set("gatewayDelegated", fullStatus(delegated));
    ObjectNode zones = out.putObject("zones");
    for (String zoneKind : List.of("controlPlanes", "zoneEgresses", "zoneIngresses")) {
      zones.putObject(zoneKind).put("online", 0).put("total", 0);
    }
    ObjectNode dataplanesNode = out.putObject("dataplanes");
    for (String kind :
        List.of(
            DataplaneClass.STANDARD,
            DataplaneClass.GATEWAY_BUILTIN,
            DataplaneClass.GATEWAY_DELEGATED)) {
      dataplanesNode.set(kind, fullStatus(dataplanes.getOrDefault(kind, StatusCounts.ZERO)));
    }
    out.putObject("policies").put("total", 0);
    out.putObject("meshes").put("total", meshes);
    Map<String, Long> resources = new LinkedHashMap<>();
    resources.put(ResourceType.MESH.kumaName(), (long) meshes);
    for (Map<ResourceType, Long> counts : meshResources) {
      counts.forEach((type, n) -> resources.merge(type.kumaName(), n, Long::sum));
    }
    for (ResourceType type : MESH_TYPES) {
      resources.putIfAbsent(type.kumaName(), 0L);
    }
    globalResources.forEach((type, n) -> resources.put(type.kumaName(), n));
    ObjectNode resourcesNode = out.putObject("resources");
    resources.forEach((type, n) -> resourcesNode.putObject(type).put("total", n));
    return out;
  }

  /** Kuma's {@code DataplaneStat}: total, online, offline, partiallyDegraded. */
  private ObjectNode dataplaneStat(StatusCounts counts) {
    return fullStatus(counts);
  }

  private ObjectNode fullStatus(StatusCounts counts) {
    ObjectNode out = json.createObjectNode();
    out.put("total", counts.total());
    out.put("online", counts.online());
    out.put("offline", counts.offline());
    out.put("partiallyDegraded", counts.partiallyDegraded());
    return out;
  }

  private ObjectNode statMap(Map<String, StatusCounts> byKey) {
    ObjectNode out = json.createObjectNode();
    byKey.forEach((key, counts) -> out.set(key, dataplaneStat(counts)));
    return out;
  }
}

package dev.quma.api.views;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.quma.api.ApiConfig;
import dev.quma.api.rest.Formats;
import dev.quma.api.rest.Paging;
import dev.quma.api.rest.ResourceEndpoints;
import dev.quma.core.codec.Format;
import dev.quma.core.codec.ResourceCodec;
import dev.quma.core.insight.DataplaneInsight;
import dev.quma.core.insight.InsightReader;
import dev.quma.core.model.Dataplane;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceMeta;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.Page;
import dev.quma.core.store.ResourceStore;
import dev.quma.http.errors.Errors;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kuma's {@code DataplaneOverview}s: each dataplane with what the xDS tier knows of its connections
 * ({@code dataplaneInsight}). Served at {@code /meshes/{mesh}/dataplanes/_overview}, {@code
 * /dataplanes/_overview} and the older {@code /meshes/{mesh}/dataplanes+insights}; a page costs two
 * round trips (the dataplanes, then their insights), whatever the size of the mesh.
 */
@ApplicationScoped
public class DataplaneOverviews {
  private final ResourceEndpoints endpoints;
  private final ResourceStore store;
  private final InsightReader insights;
  private final ApiConfig config;
  private final ResourceCodec codec = ResourceCodec.instance();

  public DataplaneOverviews(
      ResourceEndpoints endpoints, ResourceStore store, InsightReader insights, ApiConfig config) {
    this.endpoints = endpoints;
    this.store = store;
    this.insights = insights;
    this.config = config;
  }

  /** A page of overviews of one mesh, or of every mesh when {@code mesh} is null. */
  public Uni<Response> list(String mesh, UriInfo uri, HttpHeaders headers) {
    return endpoints.list(
        ResourceType.DATAPLANE,
        mesh,
        Paging.overviewQuery(uri, config.maxPageSize()),
        uri,
        headers,
        this::render);
  }

  public Uni<Response> get(String mesh, String name, HttpHeaders headers) {
    Format format = Formats.wanted(headers);
    return store
        .get(ResourceType.DATAPLANE, mesh, name)
        .flatMap(dataplane -> insights.get(mesh, name).map(insight -> overview(dataplane, insight)))
        .map(body -> Response.ok(codec.write(body, format), Formats.mediaType(format)).build())
        .onFailure()
        .transform(Errors.titled(Errors.RETRIEVE_ONE));
  }

  /** The page's items with their insights: one MGET per mesh on the page, all at once. */
  private Uni<List<Object>> render(Page<Resource<?>> page) {
    Map<String, List<String>> namesByMesh = new LinkedHashMap<>();
    for (Resource<?> dataplane : page.items()) {
      namesByMesh.computeIfAbsent(dataplane.mesh(), m -> new ArrayList<>()).add(dataplane.name());
    }
    if (namesByMesh.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    List<String> meshes = new ArrayList<>(namesByMesh.keySet());
    List<Uni<List<DataplaneInsight>>> reads = new ArrayList<>();
    for (String mesh : meshes) {
      reads.add(insights.getAll(mesh, namesByMesh.get(mesh)));
    }
    return Uni.join()
        .all(reads)
        .andFailFast()
        .map(
            found -> {
              Map<String, DataplaneInsight> byKey = new LinkedHashMap<>();
              for (int m = 0; m < meshes.size(); m++) {
                List<String> names = namesByMesh.get(meshes.get(m));
                for (int i = 0; i < names.size(); i++) {
                  byKey.put(meshes.get(m) + "/" + names.get(i), found.get(m).get(i));
                }
              }
              List<Object> items = new ArrayList<>(page.items().size());
              for (Resource<?> dataplane : page.items()) {
                items.add(
                    overview(dataplane, byKey.get(dataplane.mesh() + "/" + dataplane.name())));
              }
              return items;
            });
  }

  private static DataplaneOverview overview(Resource<?> dataplane, DataplaneInsight insight) {
    ResourceMeta meta = dataplane.meta();
    return new DataplaneOverview(
        "DataplaneOverview",
        meta.mesh(),
        meta.name(),
        meta.creationTime(),
        meta.modificationTime(),
        meta.labels().isEmpty() ? null : meta.labels(),
        (Dataplane) dataplane.spec(),
        insight);
  }

  /**
   * Kuma's {@code DataplaneOverview}. A record rather than a tree: a page of them is serialised
   * straight to the response, with no intermediate copy.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DataplaneOverview(
      String type,
      String mesh,
      String name,
      Instant creationTime,
      Instant modificationTime,
      Map<String, String> labels,
      Dataplane dataplane,
      DataplaneInsight dataplaneInsight) {}
}

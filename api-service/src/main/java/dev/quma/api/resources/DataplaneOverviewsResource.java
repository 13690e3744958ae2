package dev.quma.api.resources;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quma.api.rest.Formats;
import dev.quma.api.rest.ResourceEndpoints;
import dev.quma.core.codec.Format;
import dev.quma.core.codec.ResourceCodec;
import dev.quma.core.insight.DataplaneInsight;
import dev.quma.core.insight.InsightStore;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.Page;
import dev.quma.core.store.ResourceStore;
import dev.quma.http.errors.Errors;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /meshes/{mesh}/dataplanes+insights}: each dataplane with what the xDS tier knows of its
 * connections ({@code DataplaneOverview}). Until a proxy connects its insight has no subscriptions.
 */
@Path("/meshes/{mesh}/dataplanes+insights")
public class DataplaneOverviewsResource {
  private final ResourceEndpoints endpoints;
  private final ResourceStore store;
  private final InsightStore insights;
  private final ResourceCodec codec = ResourceCodec.instance();

  public DataplaneOverviewsResource(
      ResourceEndpoints endpoints, ResourceStore store, InsightStore insights) {
    this.endpoints = endpoints;
    this.store = store;
    this.insights = insights;
  }

  @GET
  public Uni<Response> list(
      @PathParam("mesh") String mesh, @Context UriInfo uri, @Context HttpHeaders headers) {
    return endpoints.list(ResourceType.DATAPLANE, mesh, uri, headers, page -> render(mesh, page));
  }

  @GET
  @Path("/{name}")
  public Uni<Response> get(
      @PathParam("mesh") String mesh,
      @PathParam("name") String name,
      @Context HttpHeaders headers) {
    Format format = Formats.wanted(headers);
    return store
        .get(ResourceType.DATAPLANE, mesh, name)
        .flatMap(dataplane -> insights.get(mesh, name).map(insight -> overview(dataplane, insight)))
        .map(body -> Response.ok(codec.write(body, format), Formats.mediaType(format)).build())
        .onFailure()
        .transform(Errors.titled(Errors.RETRIEVE_ONE));
  }

  private Uni<List<Object>> render(String mesh, Page<Resource<?>> page) {
    List<String> names = page.items().stream().map(Resource::name).toList();
    return insights
        .getAll(mesh, names)
        .map(
            found -> {
              List<Object> items = new ArrayList<>(names.size());
              for (int i = 0; i < names.size(); i++) {
                items.add(overview(page.items().get(i), found.get(i)));
              }
              return items;
            });
  }

  private ObjectNode overview(Resource<?> dataplane, DataplaneInsight insight) {
    ObjectNode node = codec.toTree(dataplane);
    ObjectNode out = codec.json().createObjectNode();
    out.put("type", "DataplaneOverview");
    out.set("mesh", node.get("mesh"));
    out.set("name", node.get("name"));
    out.set("creationTime", node.get("creationTime"));
    out.set("modificationTime", node.get("modificationTime"));
    if (node.has("labels")) {
      out.set("labels", node.get("labels"));
    }
    out.set("dataplane", codec.json().valueToTree(dataplane.spec()));
    out.set("dataplaneInsight", codec.json().valueToTree(insight));
    return out;
  }
}

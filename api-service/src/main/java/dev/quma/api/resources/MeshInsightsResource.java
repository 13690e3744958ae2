package dev.quma.api.resources;

import dev.quma.api.rest.Formats;
import dev.quma.api.rest.ResourceEndpoints;
import dev.quma.api.views.Insights;
import dev.quma.core.codec.Format;
import dev.quma.core.codec.ResourceCodec;
import dev.quma.core.model.ResourceType;
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

/** {@code /mesh-insights}: Kuma's {@code MeshInsight} of each mesh, paginated, or of one. */
@Path("/mesh-insights")
public class MeshInsightsResource {
  private final ResourceEndpoints endpoints;
  private final Insights insights;
  private final ResourceCodec codec = ResourceCodec.instance();

  public MeshInsightsResource(ResourceEndpoints endpoints, Insights insights) {
    this.endpoints = endpoints;
    this.insights = insights;
  }

  @GET
  public Uni<Response> list(@Context UriInfo uri, @Context HttpHeaders headers) {
    return endpoints.list(
        ResourceType.MESH,
        null,
        uri,
        headers,
        page -> insights.meshInsights(page.items()).map(items -> new ArrayList<Object>(items)));
  }

  @GET
  @Path("/{mesh}")
  public Uni<Response> get(@PathParam("mesh") String mesh, @Context HttpHeaders headers) {
    Format format = Formats.wanted(headers);
    return insights
        .meshInsight(mesh)
        .map(found -> Response.ok(codec.write(found, format), Formats.mediaType(format)).build())
        .onFailure()
        .transform(Errors.titled(Errors.RETRIEVE_ONE));
  }
}

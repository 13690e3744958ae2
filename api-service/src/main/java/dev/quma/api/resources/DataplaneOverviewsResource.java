package dev.quma.api.resources;

import dev.quma.api.views.DataplaneOverviews;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * {@code /meshes/{mesh}/dataplanes+insights}: Kuma's older name of {@code
 * /meshes/{mesh}/dataplanes/_overview}, kept as an alias (same items, same filters).
 */
@Path("/meshes/{mesh}/dataplanes+insights")
public class DataplaneOverviewsResource {
  private final DataplaneOverviews overviews;

  public DataplaneOverviewsResource(DataplaneOverviews overviews) {
    this.overviews = overviews;
  }

  @GET
  public Uni<Response> list(
      @PathParam("mesh") String mesh, @Context UriInfo uri, @Context HttpHeaders headers) {
    return overviews.list(mesh, uri, headers);
  }

  @GET
  @Path("/{name}")
  public Uni<Response> get(
      @PathParam("mesh") String mesh,
      @PathParam("name") String name,
      @Context HttpHeaders headers) {
    return overviews.get(mesh, name, headers);
  }
}

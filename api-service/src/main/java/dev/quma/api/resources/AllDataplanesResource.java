package dev.quma.api.resources;

import dev.quma.api.rest.ResourceEndpoints;
import dev.quma.api.views.DataplaneOverviews;
import dev.quma.core.model.ResourceType;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * {@code /dataplanes}: the dataplanes of every mesh, ordered by mesh and name; {@code
 * /dataplanes/_overview} their overviews.
 */
@Path("/dataplanes")
public class AllDataplanesResource {
  private final ResourceEndpoints endpoints;
  private final DataplaneOverviews overviews;

  public AllDataplanesResource(ResourceEndpoints endpoints, DataplaneOverviews overviews) {
    this.endpoints = endpoints;
    this.overviews = overviews;
  }

  @GET
  @Path("/_overview")
  public Uni<Response> overviews(@Context UriInfo uri, @Context HttpHeaders headers) {
    return overviews.list(null, uri, headers);
  }

  @GET
  public Uni<Response> list(@Context UriInfo uri, @Context HttpHeaders headers) {
    return endpoints.list(ResourceType.DATAPLANE, null, uri, headers);
  }
}

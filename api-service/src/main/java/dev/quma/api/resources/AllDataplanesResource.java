package dev.quma.api.resources;

import dev.quma.api.rest.ResourceEndpoints;
import dev.quma.core.model.ResourceType;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** {@code /dataplanes}: the dataplanes of every mesh, ordered by mesh and name. */
@Path("/dataplanes")
public class AllDataplanesResource {
  private final ResourceEndpoints endpoints;

  public AllDataplanesResource(ResourceEndpoints endpoints) {
    this.endpoints = endpoints;
  }

  @GET
  public Uni<Response> list(@Context UriInfo uri, @Context HttpHeaders headers) {
    return endpoints.list(ResourceType.DATAPLANE, null, uri, headers);
  }
}

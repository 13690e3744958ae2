package dev.quma.api.resources;

import dev.quma.api.rest.ResourceEndpoints;
import dev.quma.core.model.ResourceType;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * {@code /global-secrets}: admin only, reads included (the initial admin token is the global secret
 * {@code admin-user-token}).
 */
@Path("/global-secrets")
public class GlobalSecretsResource {
  private final ResourceEndpoints endpoints;

  public GlobalSecretsResource(ResourceEndpoints endpoints) {
    this.endpoints = endpoints;
  }

  @GET
  public Uni<Response> listGlobal(@Context UriInfo uri, @Context HttpHeaders headers) {
    return endpoints.list(ResourceType.GLOBAL_SECRET, null, uri, headers);
  }

  @GET
  @Path("/{name}")
  public Uni<Response> getGlobal(@PathParam("name") String name, @Context HttpHeaders headers) {
    return endpoints.get(ResourceType.GLOBAL_SECRET, null, name, headers);
  }

  @PUT
  @Path("/{name}")
  @Consumes(MediaType.WILDCARD)
  public Uni<Response> putGlobal(
      @PathParam("name") String name, byte[] body, @Context HttpHeaders headers) {
    return endpoints.put(ResourceType.GLOBAL_SECRET, null, name, body, headers);
  }

  @DELETE
  @Path("/{name}")
  public Uni<Response> deleteGlobal(@PathParam("name") String name, @Context HttpHeaders headers) {
    return endpoints.delete(ResourceType.GLOBAL_SECRET, null, name, headers);
  }
}

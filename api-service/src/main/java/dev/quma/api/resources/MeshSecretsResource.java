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

/** {@code /meshes/{mesh}/secrets}: admin only, reads included. */
@Path("/meshes/{mesh}/secrets")
public class MeshSecretsResource {
  private final ResourceEndpoints endpoints;

  public MeshSecretsResource(ResourceEndpoints endpoints) {
    this.endpoints = endpoints;
  }

  @GET
  public Uni<Response> list(
      @PathParam("mesh") String mesh, @Context UriInfo uri, @Context HttpHeaders headers) {
    return endpoints.list(ResourceType.SECRET, mesh, uri, headers);
  }

  @GET
  @Path("/{name}")
  public Uni<Response> get(
      @PathParam("mesh") String mesh,
      @PathParam("name") String name,
      @Context HttpHeaders headers) {
    return endpoints.get(ResourceType.SECRET, mesh, name, headers);
  }

  @PUT
  @Path("/{name}")
  @Consumes(MediaType.WILDCARD)
  public Uni<Response> put(
      @PathParam("mesh") String mesh,
      @PathParam("name") String name,
      byte[] body,
      @Context HttpHeaders headers) {
    return endpoints.put(ResourceType.SECRET, mesh, name, body, headers);
  }

  @DELETE
  @Path("/{name}")
  public Uni<Response> delete(
      @PathParam("mesh") String mesh,
      @PathParam("name") String name,
      @Context HttpHeaders headers) {
    return endpoints.delete(ResourceType.SECRET, mesh, name, headers);
  }
}

package dev.quma.api.resources;

import dev.quma.api.rest.ConnectedProxyDeletes;
import dev.quma.api.rest.ResourceEndpoints;
import dev.quma.core.model.ResourceType;
import dev.quma.http.errors.Errors;
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
 * {@code /meshes}. Deleting a mesh is refused (409) while it has dataplanes or a connected proxy;
 * its secrets are deleted with it, so that a new mesh of the same name never inherits old signing
 * keys.
 */
@Path("/meshes")
public class MeshesResource {
  private final ResourceEndpoints endpoints;
  private final ConnectedProxyDeletes deletes;

  public MeshesResource(ResourceEndpoints endpoints, ConnectedProxyDeletes deletes) {
    this.endpoints = endpoints;
    this.deletes = deletes;
  }

  @GET
  public Uni<Response> list(@Context UriInfo uri, @Context HttpHeaders headers) {
    return endpoints.list(ResourceType.MESH, null, uri, headers);
  }

  @GET
  @Path("/{mesh}")
  public Uni<Response> get(@PathParam("mesh") String mesh, @Context HttpHeaders headers) {
    return endpoints.get(ResourceType.MESH, null, mesh, headers);
  }

  @PUT
  @Path("/{mesh}")
  @Consumes(MediaType.WILDCARD)
  public Uni<Response> put(
      @PathParam("mesh") String mesh, byte[] body, @Context HttpHeaders headers) {
    return endpoints.put(ResourceType.MESH, null, mesh, body, headers);
  }

  @DELETE
  @Path("/{mesh}")
  public Uni<Response> delete(@PathParam("mesh") String mesh, @Context HttpHeaders headers) {
    return deletes
        .mesh(mesh)
        .onFailure()
        .transform(Errors.titled(Errors.DELETE))
        .flatMap(x -> endpoints.delete(ResourceType.MESH, null, mesh, headers));
  }
}

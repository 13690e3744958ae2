package dev.quma.api.resources;

import dev.quma.api.rest.ConnectedProxyDeletes;
import dev.quma.api.rest.ResourceEndpoints;
import dev.quma.api.views.DataplaneOverviews;
import dev.quma.api.views.DataplanePolicies;
import dev.quma.api.views.XdsDumps;
import dev.quma.core.model.Dataplane;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.ResourceStore;
import dev.quma.http.errors.ApiException;
import dev.quma.http.errors.Errors;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Map;

/**
 * {@code /meshes/{mesh}/dataplanes}: the resources, and the operator views of them ({@code
 * _overview}, {@code {name}/_overview}, {@code {name}/xds}, {@code {name}/policies}). The views
 * live in this class, not in classes of their own, so that every path under {@code
 * /meshes/{mesh}/dataplanes} is matched in one place ({@code _overview} is a literal, more specific
 * than {@code {name}}).
 */
@Path("/meshes/{mesh}/dataplanes")
public class DataplanesResource {
  private final ResourceEndpoints endpoints;
  private final DataplaneOverviews overviews;
  private final XdsDumps dumps;
  private final ConnectedProxyDeletes deletes;
  private final ResourceStore store;

  public DataplanesResource(
      ResourceEndpoints endpoints,
      DataplaneOverviews overviews,
      XdsDumps dumps,
      ConnectedProxyDeletes deletes,
      ResourceStore store) {
    this.endpoints = endpoints;
    this.store = store;
    this.overviews = overviews;
    this.dumps = dumps;
    this.deletes = deletes;
  }

  @GET
  @Path("/_overview")
  public Uni<Response> overviews(
      @PathParam("mesh") String mesh, @Context UriInfo uri, @Context HttpHeaders headers) {
    return overviews.list(mesh, uri, headers);
  }

  @GET
  @Path("/{name}/_overview")
  public Uni<Response> overview(
      @PathParam("mesh") String mesh,
      @PathParam("name") String name,
      @Context HttpHeaders headers) {
    return overviews.get(mesh, name, headers);
  }

  /** Envoy's {@code config_dump} of the proxy, from the xDS replica holding its stream. */
  @GET
  @Path("/{name}/xds")
  public Uni<Response> xds(
      @PathParam("mesh") String mesh,
      @PathParam("name") String name,
      @QueryParam("include_eds") @DefaultValue("false") boolean includeEndpoints) {
    return dumps.dump(mesh, name, includeEndpoints);
  }

  /** The policies that apply to the proxy, as {@code kumactl inspect dataplane} reads them. */
  @GET
  @Path("/{name}/policies")
  @Produces(MediaType.APPLICATION_JSON)
  public Uni<Map<String, Object>> policies(
      @PathParam("mesh") String mesh, @PathParam("name") String name) {
    return store
        .get(ResourceType.DATAPLANE, mesh, name, Dataplane.class)
        .map(dataplane -> DataplanePolicies.of(dataplane.spec()))
        .onFailure()
        .transform(Errors.titled(Errors.RETRIEVE_ONE));
  }

  @GET
  @Path("/{name}/stats")
  public Uni<Response> stats(@PathParam("mesh") String mesh, @PathParam("name") String name) {
    return notServed(mesh, name, "stats");
  }

  @GET
  @Path("/{name}/clusters")
  public Uni<Response> clusters(@PathParam("mesh") String mesh, @PathParam("name") String name) {
    return notServed(mesh, name, "clusters");
  }

  /**
   * Kuma reads these from the proxy's Envoy admin; there is no channel to it yet. So they have no
   * representation here: 404 saying so (as {@code .../xds} of a proxy that is not connected), after
   * the 404 of a dataplane that does not exist; never a 5xx for a request that is fine.
   */
  private Uni<Response> notServed(String mesh, String name, String what) {
    return store
        .get(ResourceType.DATAPLANE, mesh, name)
        .flatMap(
            dataplane ->
                Uni.createFrom()
                    .<Response>failure(
                        new ApiException(
                            404,
                            Errors.RETRIEVE_ONE,
                            "the proxy's Envoy "
                                + what
                                + " are not served: they need a channel to its Envoy admin, which this"
                                + " control plane does not have yet; the config the proxy received is at"
                                + " /meshes/"
                                + mesh
                                + "/dataplanes/"
                                + name
                                + "/xds")))
        .onFailure()
        .transform(Errors.titled(Errors.RETRIEVE_ONE));
  }

  @GET
  public Uni<Response> list(
      @PathParam("mesh") String mesh, @Context UriInfo uri, @Context HttpHeaders headers) {
    return endpoints.list(ResourceType.DATAPLANE, mesh, uri, headers);
  }

  @GET
  @Path("/{name}")
  public Uni<Response> get(
      @PathParam("mesh") String mesh,
      @PathParam("name") String name,
      @Context HttpHeaders headers) {
    return endpoints.get(ResourceType.DATAPLANE, mesh, name, headers);
  }

  @PUT
  @Path("/{name}")
  @Consumes(MediaType.WILDCARD)
  public Uni<Response> put(
      @PathParam("mesh") String mesh,
      @PathParam("name") String name,
      byte[] body,
      @Context HttpHeaders headers) {
    return endpoints.put(ResourceType.DATAPLANE, mesh, name, body, headers);
  }

  @DELETE
  @Path("/{name}")
  public Uni<Response> delete(
      @PathParam("mesh") String mesh,
      @PathParam("name") String name,
      @QueryParam("force") String force,
      @Context HttpHeaders headers) {
    return deletes
        .dataplane(mesh, name, force)
        .onFailure()
        .transform(Errors.titled(Errors.DELETE))
        .flatMap(x -> endpoints.delete(ResourceType.DATAPLANE, mesh, name, headers));
  }
}

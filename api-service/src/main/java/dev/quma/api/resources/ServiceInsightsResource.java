package dev.quma.api.resources;

import dev.quma.api.views.ServiceInsights;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/** {@code /meshes/{mesh}/service-insights}: each service with its online and offline instances. */
@Path("/meshes/{mesh}/service-insights")
public class ServiceInsightsResource {
  private final ServiceInsights services;

  public ServiceInsightsResource(ServiceInsights services) {
    this.services = services;
  }

  @GET
  public Uni<Response> list(
      @PathParam("mesh") String mesh, @Context UriInfo uri, @Context HttpHeaders headers) {
    return services.list(mesh, uri, headers);
  }
}

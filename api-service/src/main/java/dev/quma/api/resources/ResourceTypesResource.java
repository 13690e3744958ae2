package dev.quma.api.resources;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /_resources}: the resource types this API serves, as Kuma's {@code
 * ResourceTypeDescriptionList} describes them (the GUI and generated clients read it). {@code path}
 * is where each is served here.
 */
@Path("/_resources")
public class ResourceTypesResource {

  /** One type: Kuma's {@code ResourceTypeDescription}. */
  public record ResourceTypeDescription(
      String name,
      String scope,
      boolean readOnly,
      String path,
      String singularDisplayName,
      String pluralDisplayName,
      boolean includeInFederation) {}

  static final List<ResourceTypeDescription> SERVED =
      List.of(
          new ResourceTypeDescription(
              "Dataplane", "Mesh", false, "dataplanes", "Dataplane", "Dataplanes", false),
          new ResourceTypeDescription(
              "GlobalSecret",
              "Global",
              false,
              "global-secrets",
              "Global Secret",
              "Global Secrets",
              true),
          new ResourceTypeDescription("Mesh", "Global", false, "meshes", "Mesh", "Meshes", true),
          new ResourceTypeDescription(
              "MeshInsight",
              "Global",
              true,
              "mesh-insights",
              "Mesh Insight",
              "Mesh Insights",
              false),
          new ResourceTypeDescription(
              "Secret", "Mesh", false, "secrets", "Secret", "Secrets", true));

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, List<ResourceTypeDescription>> list() {
    return Map.of("resources", SERVED);
  }
}

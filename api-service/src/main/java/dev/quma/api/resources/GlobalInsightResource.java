package dev.quma.api.resources;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quma.api.views.Insights;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /global-insight}: Kuma's {@code GlobalInsight} (OpenAPI), summed over the meshes. */
@Path("/global-insight")
public class GlobalInsightResource {
  private final Insights insights;

  public GlobalInsightResource(Insights insights) {
    this.insights = insights;
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Uni<ObjectNode> get() {
    return insights.globalInsight();
  }
}

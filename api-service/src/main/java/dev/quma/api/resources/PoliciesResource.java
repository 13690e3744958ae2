package dev.quma.api.resources;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/** {@code GET /policies}: the policy types this API serves, in Kuma's shape. None yet. */
@Path("/policies")
public class PoliciesResource {

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, List<Object>> list() {
    return Map.of("policies", List.of());
  }
}

package dev.quma.api.views;

import dev.quma.core.model.Dataplane;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Kuma's {@code GET /meshes/{mesh}/dataplanes/{name}/policies}, the answer {@code kumactl inspect
 * dataplane} reads: for a sidecar (a delegated gateway included) {@code {"kind":
 * "SidecarDataplane", "total", "items"}}, one item per attachment (the dataplane, an inbound, an
 * outbound, a service) with the policies that match it; for a builtin gateway {@code {"kind":
 * "MeshGatewayDataplane", "gateway", "listeners"}}. This control plane has no policy types yet
 * ({@code GET /policies} lists none), so no attachment is matched by any and the lists are empty.
 */
public final class DataplanePolicies {
  static final String SIDECAR = "SidecarDataplane";
  static final String BUILTIN_GATEWAY = "MeshGatewayDataplane";

  private DataplanePolicies() {}

  public static Map<String, Object> of(Dataplane dataplane) {
    Map<String, Object> answer = new LinkedHashMap<>();
    Dataplane.Gateway gateway =
        dataplane.networking() == null ? null : dataplane.networking().gateway();
    if (gateway != null && gateway.effectiveType() == Dataplane.Gateway.Type.BUILTIN) {
      answer.put("kind", BUILTIN_GATEWAY);
      // The MeshGateway it serves: none, since MeshGateway is not a type here.
      answer.put("gateway", Map.of("mesh", "", "name", ""));
      answer.put("listeners", List.of());
      return answer;
    }
    answer.put("kind", SIDECAR);
    answer.put("total", 0);
    answer.put("items", List.of());
    return answer;
  }
}

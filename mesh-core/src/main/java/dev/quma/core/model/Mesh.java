package dev.quma.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The spec of a Kuma {@code Mesh}. This control plane acts on none of these settings yet, so each
 * section is kept as the object the user gave (and returned unchanged); the top-level field names
 * are Kuma 2.9's, and any other name is rejected.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Mesh(
    Map<String, Object> mtls,
    Map<String, Object> tracing,
    Map<String, Object> logging,
    Map<String, Object> metrics,
    Map<String, Object> networking,
    Map<String, Object> routing,
    Map<String, Object> constraints,
    List<String> skipCreatingInitialPolicies,
    Map<String, Object> meshServices) {

  public static final Mesh EMPTY = new Mesh(null, null, null, null, null, null, null, null, null);

  public Mesh {
    mtls = copy(mtls);
    tracing = copy(tracing);
    logging = copy(logging);
    metrics = copy(metrics);
    networking = copy(networking);
    routing = copy(routing);
    constraints = copy(constraints);
    skipCreatingInitialPolicies = Maps.listCopy(skipCreatingInitialPolicies);
    meshServices = copy(meshServices);
  }

  private static Map<String, Object> copy(Map<String, Object> section) {
    return section == null
        ? Map.of()
        : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(section));
  }
}

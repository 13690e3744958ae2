package dev.quma.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.core.model.Dataplane;
import dev.quma.core.model.Mesh;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusEndpointTest {
  private static final Dataplane PLAIN = new Dataplane(null, null, null);

  @Test
  void noMetricsWhereNeitherMeshNorDataplaneAsks() {
    assertThat(PrometheusEndpoint.of(PLAIN, Mesh.EMPTY)).isEmpty();
    // A backend named but not enabled enables nothing.
    assertThat(
            PrometheusEndpoint.of(PLAIN, mesh(Map.of("backends", List.of(backend("p", Map.of()))))))
        .isEmpty();
  }

  @Test
  void theMeshsEnabledBackendWithKumasDefaults() {
    Mesh mesh = mesh(Map.of("enabledBackend", "p", "backends", List.of(backend("p", Map.of()))));
    assertThat(PrometheusEndpoint.of(PLAIN, mesh))
        .contains(new PrometheusEndpoint(5670, "/metrics", new java.util.TreeMap<>()));
  }

  @Test
  void theDataplaneOverridesTheMeshFieldByField() {
    Mesh mesh =
        mesh(
            Map.of(
                "enabledBackend",
                "p",
                "backends",
                List.of(
                    backend("p", Map.of("port", 1111, "path", "/m", "tags", Map.of("a", "1"))))));
    Dataplane own =
        new Dataplane(
            null,
            new Dataplane.MetricsBackend(
                null, "prometheus", Map.of("port", 2222, "tags", Map.of("b", "2"))),
            null);
    PrometheusEndpoint endpoint = PrometheusEndpoint.of(own, mesh).orElseThrow();
    assertThat(endpoint.port()).isEqualTo(2222);
    assertThat(endpoint.path()).isEqualTo("/m");
    assertThat(endpoint.tags()).containsOnly(Map.entry("a", "1"), Map.entry("b", "2"));
    // Alone, in a mesh without metrics, it enables them.
    assertThat(PrometheusEndpoint.of(own, Mesh.EMPTY).orElseThrow().path()).isEqualTo("/metrics");
  }

  @Test
  void valuesThatAreNoPortOrPathFallBackToTheDefaults() {
    Dataplane odd =
        new Dataplane(
            null,
            new Dataplane.MetricsBackend(
                null, "prometheus", Map.of("port", "many", "path", "metrics")),
            null);
    PrometheusEndpoint endpoint = PrometheusEndpoint.of(odd, Mesh.EMPTY).orElseThrow();
    assertThat(endpoint.port()).isEqualTo(5670);
    assertThat(endpoint.path()).isEqualTo("/metrics");
    Dataplane outOfRange =
        new Dataplane(
            null, new Dataplane.MetricsBackend(null, "prometheus", Map.of("port", 70000)), null);
    assertThat(PrometheusEndpoint.of(outOfRange, Mesh.EMPTY).orElseThrow().port()).isEqualTo(5670);
  }

  private static Map<String, Object> backend(String name, Map<String, Object> conf) {
    return Map.of("name", name, "type", "prometheus", "conf", conf);
  }

  private static Mesh mesh(Map<String, Object> metrics) {
    return new Mesh(null, null, null, metrics, null, null, null, null, null);
  }
}

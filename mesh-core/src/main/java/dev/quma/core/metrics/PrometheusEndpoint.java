package dev.quma.core.metrics;

import dev.quma.core.model.Dataplane;
import dev.quma.core.model.Mesh;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Where a proxy serves its Prometheus metrics, as Kuma decides it: the mesh's enabled backend
 * ({@code Mesh.metrics.enabledBackend}, a backend of type {@code prometheus}), with the dataplane's
 * own {@code metrics} overriding its settings field by field; a dataplane's {@code metrics} alone
 * enables them too. Port 5670 and path {@code /metrics} unless set. The xDS generator (the proxy's
 * {@code kuma:metrics:prometheus} listener) and the MADS server (what Prometheus scrapes) both ask
 * this one place.
 *
 * @param tags labels the backend adds to every target ({@code conf.tags})
 */
public record PrometheusEndpoint(int port, String path, SortedMap<String, String> tags) {
  public static final int DEFAULT_PORT = 5670;
  public static final String DEFAULT_PATH = "/metrics";
  static final String PROMETHEUS = "prometheus";

  public PrometheusEndpoint {
    tags = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(tags));
  }

  /** The endpoint of {@code dataplane} in {@code mesh}; empty when metrics are not enabled. */
  public static Optional<PrometheusEndpoint> of(Dataplane dataplane, Mesh mesh) {
    Map<String, Object> meshConf = enabledMeshBackend(mesh);
    Dataplane.MetricsBackend own = dataplane.metrics();
    boolean ownEnabled = own != null && (own.type() == null || PROMETHEUS.equals(own.type()));
    if (meshConf == null && !ownEnabled) {
      return Optional.empty();
    }
    Map<String, Object> ownConf = ownEnabled ? own.conf() : Map.of();
    Map<String, Object> fallback = meshConf == null ? Map.of() : meshConf;
    int port = port(ownConf.get("port")).orElse(port(fallback.get("port")).orElse(DEFAULT_PORT));
    String path = path(ownConf.get("path")).orElse(path(fallback.get("path")).orElse(DEFAULT_PATH));
    SortedMap<String, String> tags = new TreeMap<>(stringMap(fallback.get("tags")));
    tags.putAll(stringMap(ownConf.get("tags")));
    return Optional.of(new PrometheusEndpoint(port, path, tags));
  }

  /** The conf of the mesh's enabled prometheus backend, or null. */
  private static Map<String, Object> enabledMeshBackend(Mesh mesh) {
    if (mesh == null || !(mesh.metrics().get("enabledBackend") instanceof String enabled)) {
      return null;
    }
    if (!(mesh.metrics().get("backends") instanceof List<?> backends)) {
      return null;
    }
    for (Object backend : backends) {
      if (backend instanceof Map<?, ?> map
          && enabled.equals(map.get("name"))
          && (map.get("type") == null || PROMETHEUS.equals(map.get("type")))) {
        return map.get("conf") instanceof Map<?, ?> conf ? stringKeys(conf) : Map.of();
      }
    }
    return null;
  }

  /** A port in range, from a JSON number (or a numeric string, as YAML may give). */
  private static Optional<Integer> port(Object value) {
    long port;
    if (value instanceof Number number) {
      port = number.longValue();
    } else if (value instanceof String text && text.matches("[0-9]{1,5}")) {
      port = Long.parseLong(text);
    } else {
      return Optional.empty();
    }
    return port >= 1 && port <= 65535 ? Optional.of((int) port) : Optional.empty();
  }

  private static Optional<String> path(Object value) {
    return value instanceof String text && text.startsWith("/")
        ? Optional.of(text)
        : Optional.empty();
  }

  private static Map<String, String> stringMap(Object value) {
    Map<String, String> out = new TreeMap<>();
    if (value instanceof Map<?, ?> map) {
      map.forEach(
          (k, v) -> {
            if (k instanceof String key
                && v != null
                && !(v instanceof Map)
                && !(v instanceof List)) {
              out.put(key, String.valueOf(v));
            }
          });
    }
    return out;
  }

  private static Map<String, Object> stringKeys(Map<?, ?> map) {
    Map<String, Object> out = new TreeMap<>();
    map.forEach(
        (k, v) -> {
          if (k instanceof String key) {
            out.put(key, v);
          }
        });
    return out;
  }
}

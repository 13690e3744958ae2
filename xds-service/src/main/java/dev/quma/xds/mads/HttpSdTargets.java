package dev.quma.xds.mads;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The assignments in Prometheus's HTTP service discovery format ({@code http_sd_configs}): one
 * target group per target, labelled as Prometheus's {@code kuma_sd} labels the same target ({@code
 * __meta_kuma_mesh}, {@code __meta_kuma_service}, {@code __meta_kuma_dataplane}, {@code
 * __meta_kuma_label_<name>} with the name sanitised, {@code instance}, {@code __scheme__}, {@code
 * __metrics_path__}). For a Prometheus built without the xDS discoveries (Debian's disables them),
 * which then finds the same proxies with the same labels.
 */
public final class HttpSdTargets {
  public static final String PATH = "/http-sd";

  private HttpSdTargets() {}

  public static JsonArray of(List<MonitoringAssignment> assignments) {
    JsonArray groups = new JsonArray();
    for (MonitoringAssignment assignment : assignments) {
      for (MonitoringAssignment.Target target : assignment.targets()) {
        Map<String, String> labels = new TreeMap<>();
        assignment.labels().forEach((k, v) -> labels.put(userLabel(k), v));
        target.labels().forEach((k, v) -> labels.put(userLabel(k), v));
        labels.put("__meta_kuma_mesh", assignment.mesh());
        labels.put("__meta_kuma_service", assignment.service());
        labels.put("__meta_kuma_dataplane", target.name());
        labels.put("instance", target.name());
        labels.put("__scheme__", target.scheme());
        labels.put("__metrics_path__", target.metricsPath());
        JsonObject group =
            new JsonObject()
                .put("targets", new JsonArray().add(target.address()))
                .put("labels", new JsonObject(new java.util.LinkedHashMap<>(labels)));
        groups.add(group);
      }
    }
    return groups;
  }

  /** {@code __meta_kuma_label_} and the name with every character Prometheus refuses as '_'. */
  static String userLabel(String name) {
    StringBuilder out = new StringBuilder("__meta_kuma_label_");
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (c >= '0' && c <= '9');
      out.append(ok ? c : '_');
    }
    return out.toString();
  }
}

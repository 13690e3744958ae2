package dev.quma.xds.mads;

import dev.quma.core.metrics.PrometheusEndpoint;
import dev.quma.core.model.Dataplane;
import dev.quma.xds.envoy.names.EnvoyNames;
import dev.quma.xds.snapshot.ProxySnapshots.ViewedDataplane;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * The monitoring assignments of the dataplanes in the mesh views: one per dataplane whose metrics
 * are enabled ({@link PrometheusEndpoint}, the rule the proxy's metrics listener follows too), its
 * target at the dataplane's advertised address (else its address) and the metrics port, labelled
 * with the dataplane's tags (several values of one tag joined by commas, as Kuma does) and the
 * backend's own tags. Prometheus's {@code kuma_sd} turns mesh, service and dataplane into {@code
 * __meta_kuma_mesh}, {@code __meta_kuma_service} and {@code __meta_kuma_dataplane}, and every label
 * into {@code __meta_kuma_label_<name>}.
 */
public final class AssignmentsOfViews {
  private AssignmentsOfViews() {}

  public static List<MonitoringAssignment> of(List<ViewedDataplane> dataplanes) {
    List<MonitoringAssignment> assignments = new ArrayList<>();
    List<ViewedDataplane> sorted = new ArrayList<>(dataplanes);
    sorted.sort(Comparator.comparing(ViewedDataplane::mesh).thenComparing(ViewedDataplane::name));
    for (ViewedDataplane viewed : sorted) {
      Dataplane spec = viewed.spec();
      if (spec.networking() == null || spec.networking().address() == null) {
        continue;
      }
      PrometheusEndpoint.of(spec, viewed.meshSpec())
          .ifPresent(endpoint -> assignments.add(assignment(viewed, endpoint)));
    }
    return assignments;
  }

  private static MonitoringAssignment assignment(
      ViewedDataplane viewed, PrometheusEndpoint endpoint) {
    Dataplane spec = viewed.spec();
    String service = spec.serviceName().orElse("");
    SortedMap<String, String> labels = new TreeMap<>();
    for (Map.Entry<String, SortedSet<String>> tag : spec.tags().entrySet()) {
      labels.put(tag.getKey(), String.join(",", tag.getValue()));
    }
    labels.putAll(endpoint.tags());
    String advertised = spec.networking().advertisedAddress();
    String host =
        advertised == null || advertised.isEmpty() ? spec.networking().address() : advertised;
    MonitoringAssignment.Target target =
        new MonitoringAssignment.Target(
            viewed.name(),
            "http",
            EnvoyNames.hostPort(host, endpoint.port()),
            endpoint.path(),
            labels);
    return new MonitoringAssignment(viewed.mesh(), service, Map.of(), List.of(target));
  }
}

package dev.quma.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the rules need of anything that runs pods, whether a Deployment, a StatefulSet or a Knative
 * Service: its pod template's labels and spec.
 */
record Workload(
    String kind,
    String name,
    String namespace,
    Map<String, String> podLabels,
    List<Container> containers,
    List<Volume> volumes,
    PodSecurityContext podSecurity,
    Long terminationGracePeriodSeconds) {

  static Optional<Workload> of(HasMetadata object) {
    return switch (object) {
      case Deployment d ->
          Optional.of(
              new Workload(
                  "Deployment",
                  d.getMetadata().getName(),
                  d.getMetadata().getNamespace(),
                  labels(d.getSpec().getTemplate().getMetadata().getLabels()),
                  d.getSpec().getTemplate().getSpec().getContainers(),
                  d.getSpec().getTemplate().getSpec().getVolumes(),
                  d.getSpec().getTemplate().getSpec().getSecurityContext(),
                  d.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()));
      case StatefulSet s ->
          Optional.of(
              new Workload(
                  "StatefulSet",
                  s.getMetadata().getName(),
                  s.getMetadata().getNamespace(),
                  labels(s.getSpec().getTemplate().getMetadata().getLabels()),
                  s.getSpec().getTemplate().getSpec().getContainers(),
                  s.getSpec().getTemplate().getSpec().getVolumes(),
                  s.getSpec().getTemplate().getSpec().getSecurityContext(),
                  s.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()));
      case io.fabric8.knative.serving.v1.Service k ->
          Optional.of(
              new Workload(
                  "KnativeService",
                  k.getMetadata().getName(),
                  k.getMetadata().getNamespace(),
                  labels(k.getSpec().getTemplate().getMetadata().getLabels()),
                  k.getSpec().getTemplate().getSpec().getContainers(),
                  k.getSpec().getTemplate().getSpec().getVolumes(),
                  k.getSpec().getTemplate().getSpec().getSecurityContext(),
                  k.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds()));
      default -> Optional.empty();
    };
  }

  /** Whether a label selector's {@code matchLabels} (or a Service's selector) picks these pods. */
  boolean selectedBy(Map<String, String> selector) {
    return selector != null
        && !selector.isEmpty()
        && selector.entrySet().stream()
            .allMatch(e -> e.getValue().equals(podLabels.get(e.getKey())));
  }

  String id() {
    return kind + " " + name;
  }

  private static Map<String, String> labels(Map<String, String> labels) {
    return labels == null ? Map.of() : labels;
  }
}

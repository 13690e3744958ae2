package dev.quma.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Rules across objects: what selects, targets or refers to something must find it, everything is in
 * the namespace with the common labels, and no Secret carries a real value.
 */
final class WiringRules {
  static final String NAMESPACE = "quma-system";

  /** What a committed Secret may hold: nothing, or an obvious placeholder. */
  private static final Pattern PLACEHOLDER =
      Pattern.compile("|CHANGE_ME[\\w-]*|REPLACE_ME[\\w-]*|<[^>]*>");

  private WiringRules() {}

  static void check(List<HasMetadata> objects, Violations violations) {
    List<Workload> workloads =
        objects.stream().map(Workload::of).flatMap(java.util.Optional::stream).toList();
    Set<String> configMaps = names(objects, ConfigMap.class);
    Set<String> deployments = names(objects, Deployment.class);
    Set<String> secrets = names(objects, Secret.class);
    for (HasMetadata object : objects) {
      String id = object.getKind() + " " + object.getMetadata().getName();
      checkMetadata(id, object, violations);
      switch (object) {
        case Service service -> checkService(id, service, workloads, violations);
        case HorizontalPodAutoscaler hpa -> checkHpa(id, hpa, deployments, violations);
        case PodDisruptionBudget pdb -> checkPdb(id, pdb, workloads, violations);
        case Secret secret -> checkSecret(id, secret, violations);
        case NetworkPolicy policy -> NetworkPolicyRules.check(id, policy, workloads, violations);
        default -> {}
      }
    }
    for (Workload workload : workloads) {
      ReferenceRules.check(workload, configMaps, secrets, violations);
    }
  }

  private static void checkMetadata(String id, HasMetadata object, Violations violations) {
    Map<String, String> labels = object.getMetadata().getLabels();
    if (labels == null || !"quma".equals(labels.get("app.kubernetes.io/part-of"))) {
      violations.add(id, "lacks the label app.kubernetes.io/part-of: quma");
    }
    if (object instanceof Namespace) {
      if (!NAMESPACE.equals(object.getMetadata().getName())) {
        violations.add(id, "is not the namespace " + NAMESPACE);
      }
    } else if (!NAMESPACE.equals(object.getMetadata().getNamespace())) {
      violations.add(id, "is in namespace " + object.getMetadata().getNamespace());
    }
  }

  private static void checkService(
      String id, Service service, List<Workload> workloads, Violations violations) {
    Map<String, String> selector = service.getSpec().getSelector();
    List<Workload> selected = workloads.stream().filter(w -> w.selectedBy(selector)).toList();
    if (selected.isEmpty()) {
      violations.add(id, "selector " + selector + " matches no pod template");
      return;
    }
    for (ServicePort port : service.getSpec().getPorts()) {
      var target = port.getTargetPort();
      if (target == null) {
        continue;
      }
      for (Workload workload : selected) {
        boolean declared =
            workload.containers().stream()
                .anyMatch(
                    c ->
                        WorkloadRules.findPort(
                                target, c.getPorts() == null ? List.of() : c.getPorts())
                            != null);
        if (!declared) {
          violations.add(
              id,
              "port "
                  + port.getName()
                  + " targets "
                  + WorkloadRules.portText(target)
                  + ", which "
                  + workload.id()
                  + " does not declare");
        }
      }
    }
  }

  private static void checkHpa(
      String id, HorizontalPodAutoscaler hpa, Set<String> deployments, Violations violations) {
    var target = hpa.getSpec().getScaleTargetRef();
    if (!"Deployment".equals(target.getKind())
        || !"apps/v1".equals(target.getApiVersion())
        || !deployments.contains(target.getName())) {
      violations.add(
          id,
          "targets "
              + target.getApiVersion()
              + " "
              + target.getKind()
              + " "
              + target.getName()
              + ", which is not a Deployment here");
    }
    Integer min = hpa.getSpec().getMinReplicas();
    if (min == null || min < 2 || hpa.getSpec().getMaxReplicas() < min) {
      violations.add(
          id,
          "replicas "
              + min
              + ".."
              + hpa.getSpec().getMaxReplicas()
              + ": needs at least 2 (one replica is no failover) and max >= min");
    }
    if (hpa.getSpec().getMetrics() == null || hpa.getSpec().getMetrics().isEmpty()) {
      violations.add(id, "has no metrics");
    }
  }

  private static void checkPdb(
      String id, PodDisruptionBudget pdb, List<Workload> workloads, Violations violations) {
    var selector = pdb.getSpec().getSelector();
    Map<String, String> matchLabels = selector == null ? null : selector.getMatchLabels();
    if (workloads.stream().noneMatch(w -> w.selectedBy(matchLabels))) {
      violations.add(id, "selector " + matchLabels + " matches no pod template");
    }
  }

  private static void checkSecret(String id, Secret secret, Violations violations) {
    Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
    Map<String, String> stringData =
        secret.getStringData() == null ? Map.of() : secret.getStringData();
    data.forEach(
        (key, value) -> {
          String decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
          if (!PLACEHOLDER.matcher(decoded.strip()).matches()) {
            violations.add(id, "key " + key + " holds what looks like a real value");
          }
        });
    stringData.forEach(
        (key, value) -> {
          if (!PLACEHOLDER.matcher(value.strip()).matches()) {
            violations.add(id, "key " + key + " holds what looks like a real value");
          }
        });
  }

  private static Set<String> names(List<HasMetadata> objects, Class<?> type) {
    return objects.stream()
        .filter(type::isInstance)
        .map(o -> o.getMetadata().getName())
        .collect(Collectors.toSet());
  }

  static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}

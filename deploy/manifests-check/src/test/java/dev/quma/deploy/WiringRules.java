package dev.quma.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
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

  /**
   * Secrets the operator creates (README, Deploy); a reference to any other name is a typo that
   * would leave pods waiting for a Secret nobody makes.
   */
  static final Set<String> EXTERNAL_SECRETS =
      Set.of(
          "quma-redis-credentials",
          "quma-database-credentials",
          "quma-signing-key-encryption",
          "quma-xds-tls");

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
        case NetworkPolicy policy -> checkNetworkPolicy(id, policy, workloads, violations);
        default -> {}
      }
    }
    for (Workload workload : workloads) {
      checkReferences(workload, configMaps, secrets, violations);
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

  /**
   * A policy must protect some pods, and every peer it admits must exist: a misspelt tier in an
   * ingress rule would cut that tier off its store.
   */
  private static void checkNetworkPolicy(
      String id, NetworkPolicy policy, List<Workload> workloads, Violations violations) {
    LabelSelector protectedPods = policy.getSpec().getPodSelector();
    if (protectedPods == null || workloads.stream().noneMatch(w -> selects(protectedPods, w))) {
      violations.add(id, "podSelector matches no pod template");
    }
    for (var rule : orEmpty(policy.getSpec().getIngress())) {
      for (var peer : orEmpty(rule.getFrom())) {
        LabelSelector peers = peer.getPodSelector();
        if (peers == null || peer.getNamespaceSelector() != null) {
          continue;
        }
        for (var expression : orEmpty(peers.getMatchExpressions())) {
          if (!"In".equals(expression.getOperator())) {
            continue;
          }
          for (String value : expression.getValues()) {
            if (workloads.stream()
                .noneMatch(w -> value.equals(w.podLabels().get(expression.getKey())))) {
              violations.add(
                  id,
                  "admits "
                      + expression.getKey()
                      + "="
                      + value
                      + ", which no pod template carries");
            }
          }
        }
        if (peers.getMatchLabels() != null
            && !peers.getMatchLabels().isEmpty()
            && workloads.stream().noneMatch(w -> w.selectedBy(peers.getMatchLabels()))) {
          violations.add(
              id, "admits " + peers.getMatchLabels() + ", which no pod template carries");
        }
      }
    }
  }

  /** matchLabels and In/NotIn/Exists/DoesNotExist expressions, as the API server evaluates them. */
  private static boolean selects(LabelSelector selector, Workload workload) {
    Map<String, String> labels = workload.podLabels();
    if (selector.getMatchLabels() != null
        && !selector.getMatchLabels().entrySet().stream()
            .allMatch(e -> e.getValue().equals(labels.get(e.getKey())))) {
      return false;
    }
    for (var expression : orEmpty(selector.getMatchExpressions())) {
      String value = labels.get(expression.getKey());
      boolean ok =
          switch (expression.getOperator()) {
            case "In" -> value != null && expression.getValues().contains(value);
            case "NotIn" -> value == null || !expression.getValues().contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            default -> false;
          };
      if (!ok) {
        return false;
      }
    }
    return true;
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

  private static void checkReferences(
      Workload workload, Set<String> configMaps, Set<String> secrets, Violations violations) {
    for (Container container : workload.containers()) {
      String where = workload.id() + ", container " + container.getName();
      for (EnvFromSource source : orEmpty(container.getEnvFrom())) {
        if (source.getConfigMapRef() != null) {
          checkConfigMap(
              where,
              source.getConfigMapRef().getName(),
              source.getConfigMapRef().getOptional(),
              configMaps,
              violations);
        }
        if (source.getSecretRef() != null) {
          checkSecretName(where, source.getSecretRef().getName(), secrets, violations);
        }
      }
      for (EnvVar env : orEmpty(container.getEnv())) {
        var from = env.getValueFrom();
        if (from != null && from.getSecretKeyRef() != null) {
          checkSecretName(where, from.getSecretKeyRef().getName(), secrets, violations);
        }
        if (from != null && from.getConfigMapKeyRef() != null) {
          checkConfigMap(
              where,
              from.getConfigMapKeyRef().getName(),
              from.getConfigMapKeyRef().getOptional(),
              configMaps,
              violations);
        }
      }
    }
    for (Volume volume : orEmpty(workload.volumes())) {
      if (volume.getSecret() != null) {
        checkSecretName(workload.id(), volume.getSecret().getSecretName(), secrets, violations);
      }
      if (volume.getConfigMap() != null) {
        checkConfigMap(
            workload.id(),
            volume.getConfigMap().getName(),
            volume.getConfigMap().getOptional(),
            configMaps,
            violations);
      }
    }
  }

  private static void checkConfigMap(
      String where, String name, Boolean optional, Set<String> configMaps, Violations violations) {
    if (!Boolean.TRUE.equals(optional) && !configMaps.contains(name)) {
      violations.add(where, "refers to ConfigMap " + name + ", which is not rendered here");
    }
  }

  private static void checkSecretName(
      String where, String name, Set<String> rendered, Violations violations) {
    if (!EXTERNAL_SECRETS.contains(name) && !rendered.contains(name)) {
      violations.add(
          where,
          "refers to Secret "
              + name
              + ", which is not one of "
              + EXTERNAL_SECRETS.stream().sorted().collect(Collectors.joining(", ")));
    }
  }

  private static Set<String> names(List<HasMetadata> objects, Class<?> type) {
    return objects.stream()
        .filter(type::isInstance)
        .map(o -> o.getMetadata().getName())
        .collect(Collectors.toSet());
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}

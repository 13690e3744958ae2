package dev.quma.deploy;

import static dev.quma.deploy.WiringRules.orEmpty;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.util.List;
import java.util.Map;

/** Rules for NetworkPolicies: what they protect and whom they admit must exist. */
final class NetworkPolicyRules {
  private NetworkPolicyRules() {}

  /**
   * A policy must protect some pods, and every peer it admits must exist: a misspelt tier in an
   * ingress rule would cut that tier off its store.
   */
  static void check(
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
}

package dev.quma.deploy;

import static dev.quma.deploy.WiringRules.orEmpty;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Rules for what pods read: every ConfigMap they need is rendered, and every Secret is one the
 * operator is told to create (or one rendered here).
 */
final class ReferenceRules {
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

  private ReferenceRules() {}

  static void check(
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
}

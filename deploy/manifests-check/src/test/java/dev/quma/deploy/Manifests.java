package dev.quma.deploy;

import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Where the manifests are, and rendering plus reading plus every rule in one call. */
final class Manifests {
  private Manifests() {}

  /** deploy/kubernetes, found from this module's directory (Surefire's {@code basedir}). */
  static Path root() {
    Path module = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    return module.resolveSibling("kubernetes");
  }

  static List<HasMetadata> renderAndRead(Path kustomization) {
    return new StrictManifestReader().read(Kustomize.render(kustomization));
  }

  /**
   * An overlay with components added, as an operator's own kustomization would do it: written under
   * target/ and rendered from there.
   */
  static List<HasMetadata> renderWithComponents(String overlay, List<String> components) {
    Path module = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    Path dir =
        module.resolve("target/compositions/" + overlay + "+" + String.join("+", components));
    try {
      Files.createDirectories(dir);
      StringBuilder kustomization =
          new StringBuilder("apiVersion: kustomize.config.k8s.io/v1beta1\n")
              .append("kind: Kustomization\nresources:\n  - ")
              .append(dir.relativize(root().resolve("overlays").resolve(overlay)))
              .append("\ncomponents:\n");
      for (String component : components) {
        kustomization
            .append("  - ")
            .append(dir.relativize(root().resolve("components").resolve(component)))
            .append('\n');
      }
      Files.writeString(dir.resolve("kustomization.yaml"), kustomization);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new StrictManifestReader().read(Kustomize.renderUnrestricted(dir));
  }

  /** Names of the Secrets a workload's containers and volumes read. */
  static Set<String> secretsUsedBy(Workload workload) {
    Set<String> names = new TreeSet<>();
    for (var container : workload.containers()) {
      for (var source :
          container.getEnvFrom() == null ? List.<EnvFromSource>of() : container.getEnvFrom()) {
        if (source.getSecretRef() != null) {
          names.add(source.getSecretRef().getName());
        }
      }
      for (var env : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
        if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
          names.add(env.getValueFrom().getSecretKeyRef().getName());
        }
      }
    }
    if (workload.volumes() != null) {
      workload.volumes().stream()
          .filter(v -> v.getSecret() != null)
          .forEach(v -> names.add(v.getSecret().getSecretName()));
    }
    return names;
  }

  /** Every rule's violations for one rendered set of objects. */
  static List<String> violations(List<HasMetadata> objects) {
    Violations violations = new Violations();
    objects.stream()
        .map(Workload::of)
        .flatMap(Optional::stream)
        .forEach(w -> WorkloadRules.check(w, violations));
    WiringRules.check(objects, violations);
    return violations.all();
  }
}

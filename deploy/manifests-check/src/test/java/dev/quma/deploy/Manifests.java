package dev.quma.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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

  /** Every rule's violations for one rendered set of objects. */
  static List<String> violations(List<HasMetadata> objects) {
    Violations violations = new Violations();
    objects.stream()
        .map(Workload::of)
        .flatMap(java.util.Optional::stream)
        .forEach(w -> WorkloadRules.check(w, violations));
    WiringRules.check(objects, violations);
    return violations.all();
  }
}

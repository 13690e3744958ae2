package dev.quma.core.validation;

import dev.quma.core.model.Dataplane;
import dev.quma.core.model.Mesh;
import dev.quma.core.model.Resource;
import dev.quma.core.model.SecretData;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** The one entry point every service uses: names, labels and the rules of the resource's type. */
public final class ResourceValidator {
  private ResourceValidator() {}

  /** Throws a {@link ValidationException} listing every violation of {@code resource}. */
  public static void validate(Resource<?> resource) {
    Violations out = new Violations();
    MetaValidator.validateNames(resource.meta().type(), resource.mesh(), resource.name(), out);
    MetaValidator.validateLabels(resource.meta().labels(), out);
    switch (resource.spec()) {
      case Dataplane dataplane -> {
        DataplaneValidator.validate(dataplane, out);
        if (dataplane.metrics() != null) {
          OpaqueFields.check(
              FieldPath.of("metrics").field("conf"), dataplane.metrics().conf(), out);
        }
      }
      case SecretData secret -> checkSecret(secret, out);
      case Mesh mesh -> checkMesh(mesh, out);
      default -> {}
    }
    out.throwIfAny();
  }

  /** A Mesh's sections are kept as given: only bounded. */
  private static void checkMesh(Mesh mesh, Violations out) {
    Map<String, Map<String, Object>> sections = new LinkedHashMap<>();
    sections.put("mtls", mesh.mtls());
    sections.put("tracing", mesh.tracing());
    sections.put("logging", mesh.logging());
    sections.put("metrics", mesh.metrics());
    sections.put("networking", mesh.networking());
    sections.put("routing", mesh.routing());
    sections.put("constraints", mesh.constraints());
    sections.put("meshServices", mesh.meshServices());
    sections.forEach((name, section) -> OpaqueFields.check(FieldPath.of(name), section, out));
    OpaqueFields.check(
        FieldPath.of("skipCreatingInitialPolicies"), mesh.skipCreatingInitialPolicies(), out);
  }

  private static void checkSecret(SecretData secret, Violations out) {
    if (secret.data() == null || secret.data().isEmpty()) {
      out.add(FieldPath.of("data"), "cannot be empty");
      return;
    }
    try {
      Base64.getDecoder().decode(secret.data());
    } catch (IllegalArgumentException e) {
      out.add(FieldPath.of("data"), "must be base64 encoded");
    }
  }
}

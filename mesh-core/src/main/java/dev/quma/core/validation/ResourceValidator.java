package dev.quma.core.validation;

import dev.quma.core.model.Dataplane;
import dev.quma.core.model.Resource;
import dev.quma.core.model.SecretData;
import java.util.Base64;

/** The one entry point every service uses: names, labels and the rules of the resource's type. */
public final class ResourceValidator {
  private ResourceValidator() {}

  /** Throws a {@link ValidationException} listing every violation of {@code resource}. */
  public static void validate(Resource<?> resource) {
    Violations out = new Violations();
    MetaValidator.validateNames(resource.meta().type(), resource.mesh(), resource.name(), out);
    MetaValidator.validateLabels(resource.meta().labels(), out);
    switch (resource.spec()) {
      case Dataplane dataplane -> DataplaneValidator.validate(dataplane, out);
      case SecretData secret -> checkSecret(secret, out);
      default -> {
        // Mesh sections are kept as given; only the name is checked.
      }
    }
    out.throwIfAny();
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

package dev.quma.core.validation;

import dev.quma.core.model.ResourceType;
import java.util.Map;
import java.util.regex.Pattern;

/** Kuma's rules for resource names, mesh names and labels. */
public final class MetaValidator {
  private MetaValidator() {}

  private static final Pattern IDENTIFIER =
      Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
  private static final String IDENTIFIER_MESSAGE =
      "invalid characters. A lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.',"
          + " and must start and end with an alphanumeric character";
  // Meshes created before Kuma 2.5 may contain '_': the mesh of a resource is checked with the
  // older rule.
  private static final Pattern MESH_REFERENCE = Pattern.compile("^[0-9a-z-_.]*$");
  private static final String MESH_REFERENCE_MESSAGE =
      "invalid characters. Valid characters are numbers, lowercase latin letters and '-', '_', '.' symbols.";

  private static final Pattern LABEL_NAME =
      Pattern.compile("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$");
  private static final Pattern LABEL_VALUE =
      Pattern.compile("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$");
  private static final Pattern DNS_SUBDOMAIN = IDENTIFIER;

  /** Validates the name (and mesh) of a resource of {@code type}. */
  public static void validateNames(ResourceType type, String mesh, String name, Violations out) {
    checkIdentifier(FieldPath.of("name"), name, IDENTIFIER, IDENTIFIER_MESSAGE, out);
    if (type.meshScoped()) {
      checkIdentifier(FieldPath.of("mesh"), mesh, MESH_REFERENCE, MESH_REFERENCE_MESSAGE, out);
    }
  }

  /** True when {@code mesh} could name a mesh; used before touching the store with it. */
  public static boolean isMeshReference(String mesh) {
    return mesh != null
        && !mesh.isEmpty()
        && mesh.length() <= 253
        && !isDotSegment(mesh)
        && MESH_REFERENCE.matcher(mesh).matches();
  }

  /** {@code .} and {@code ..} name no resource: in a URL they name the path around it. */
  public static boolean isDotSegment(String name) {
    return name.equals(".") || name.equals("..");
  }

  public static boolean isIdentifier(String name) {
    return name != null
        && !name.isEmpty()
        && name.length() <= 253
        && IDENTIFIER.matcher(name).matches();
  }

  /** Label keys and values follow Kubernetes' rules, as Kuma's do. */
  public static void validateLabels(Map<String, String> labels, Violations out) {
    for (Map.Entry<String, String> label : labels.entrySet()) {
      FieldPath path = FieldPath.of("labels").key(label.getKey());
      checkQualifiedName(path, label.getKey(), out);
      String value = label.getValue();
      if (value.length() > 63) {
        out.add(path, "must be no more than 63 characters");
      }
      if (!LABEL_VALUE.matcher(value).matches()) {
        out.add(
            path,
            "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.',"
                + " and must start and end with an alphanumeric character");
      }
    }
  }

  private static void checkQualifiedName(FieldPath path, String key, Violations out) {
    String[] parts = key.split("/", -1);
    String name;
    if (parts.length == 1) {
      name = parts[0];
    } else if (parts.length == 2) {
      String prefix = parts[0];
      name = parts[1];
      if (prefix.isEmpty()) {
        out.add(path, "prefix part must be non-empty");
      } else if (prefix.length() > 253 || !DNS_SUBDOMAIN.matcher(prefix).matches()) {
        out.add(path, "prefix part " + IDENTIFIER_MESSAGE.replace("invalid characters. ", ""));
      }
    } else {
      out.add(
          path,
          "a qualified name must consist of an optional DNS subdomain prefix and '/' followed by a name");
      return;
    }
    if (name.isEmpty()) {
      out.add(path, "name part must be non-empty");
    } else if (name.length() > 63) {
      out.add(path, "name part must be no more than 63 characters");
    } else if (!LABEL_NAME.matcher(name).matches()) {
      out.add(
          path,
          "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
    }
  }

  private static void checkIdentifier(
      FieldPath path, String value, Pattern pattern, String message, Violations out) {
    if (value == null || value.isEmpty()) {
      out.add(path, "cannot be empty");
    } else if (isDotSegment(value)) {
      out.add(path, "'.' and '..' are not names");
    } else if (value.length() > 253) {
      out.add(path, "value length must less or equal 253");
    } else if (!pattern.matcher(value).matches()) {
      out.add(path, message);
    }
  }
}

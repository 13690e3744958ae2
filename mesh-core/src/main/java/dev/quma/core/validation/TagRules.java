package dev.quma.core.validation;

import dev.quma.core.model.Dataplane;
import java.util.Map;
import java.util.regex.Pattern;

/** Kuma's rules for tag maps: character sets, non-empty values, the mandatory service tag. */
final class TagRules {
  private TagRules() {}

  static final Pattern TAG_NAME = Pattern.compile("^[a-zA-Z0-9.\\-_:/]*$");
  static final Pattern TAG_VALUE = Pattern.compile("^[a-zA-Z0-9.\\-_:]*$");

  /** The protocols {@code kuma.io/protocol} may name, in the order Kuma lists them. */
  static final java.util.List<String> PROTOCOLS =
      java.util.List.of("grpc", "http", "http2", "kafka", "tcp");

  /** Checks names and values of {@code tags} (reported under {@code path}). */
  static void check(FieldPath path, Map<String, String> tags, Violations out) {
    for (Map.Entry<String, String> tag : tags.entrySet()) {
      String key = tag.getKey();
      if (key.isEmpty()) {
        out.add(path, "tag name must be non-empty");
      }
      if (!TAG_NAME.matcher(key).matches()) {
        out.add(
            path.key(key),
            "tag name must consist of alphanumeric characters, dots, dashes, slashes and underscores");
      }
      String value = tag.getValue();
      if (value.isEmpty()) {
        out.add(path.key(key), "tag value must be non-empty");
      }
      if (!TAG_VALUE.matcher(value).matches()) {
        out.add(
            path.key(key),
            "tag value must consist of alphanumeric characters, dots, dashes and underscores");
      }
    }
  }

  static void requireService(FieldPath path, Map<String, String> tags, Violations out) {
    if (!tags.containsKey(Dataplane.SERVICE_TAG)) {
      out.add(path, "mandatory tag \"" + Dataplane.SERVICE_TAG + "\" is missing");
    }
  }

  /**
   * {@code kuma.io/zone} is set by the control plane in multi-zone setups; a proxy may not claim
   * one.
   */
  static void forbidZone(FieldPath path, Map<String, String> tags, Violations out) {
    if (tags.containsKey(Dataplane.ZONE_TAG)) {
      out.add(
          path.key(Dataplane.ZONE_TAG),
          "tag \""
              + Dataplane.ZONE_TAG
              + "\" is reserved: the control plane sets it and it cannot be overwritten");
    }
  }

  static void checkProtocol(FieldPath path, Map<String, String> tags, Violations out) {
    String protocol = tags.get(Dataplane.PROTOCOL_TAG);
    if (protocol != null && !PROTOCOLS.contains(protocol)) {
      out.add(
          path.key(Dataplane.PROTOCOL_TAG),
          "tag \""
              + Dataplane.PROTOCOL_TAG
              + "\" has an invalid value \""
              + protocol
              + "\". Allowed values: "
              + String.join(", ", PROTOCOLS));
    }
  }
}

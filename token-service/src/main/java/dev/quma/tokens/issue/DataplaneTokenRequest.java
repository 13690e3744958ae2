package dev.quma.tokens.issue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quma.core.model.ProxyType;
import dev.quma.core.runtime.GoDuration;
import dev.quma.core.validation.FieldPath;
import dev.quma.core.validation.MetaValidator;
import dev.quma.core.validation.Violations;
import dev.quma.http.errors.ApiException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Kuma's dataplane token request ({@code name}, {@code mesh}, {@code tags}, {@code type}, {@code
 * validFor}, {@code workload}), read and checked field by field: every violation is reported at
 * once, under the field's name. Fields Kuma does not know are ignored, as Go's decoder does.
 *
 * @param name null when the token is to fit any proxy name
 * @param type null when the token is to fit any proxy type
 */
public record DataplaneTokenRequest(
    String name,
    String mesh,
    SortedMap<String, List<String>> tags,
    ProxyType type,
    Duration validFor,
    String workload) {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TAG_NAME = Pattern.compile("^[a-zA-Z0-9.\\-_:/]+$");
  private static final Pattern TAG_VALUE = Pattern.compile("^[a-zA-Z0-9.\\-_:]+$");

  /**
   * Reads a request body; throws a {@link dev.quma.core.validation.ValidationException} listing
   * every violation, or an {@link ApiException} when the body is not a JSON object at all.
   */
  public static DataplaneTokenRequest parse(
      byte[] body, Duration defaultValidFor, Duration maxValidFor) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new ApiException(
          400, "Invalid request", "the request body is not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ApiException(400, "Invalid request", "the request body could not be read");
    }
    if (root == null || !root.isObject()) {
      throw new ApiException(400, "Invalid request", "the request body must be a JSON object");
    }
    Violations violations = new Violations();
    String mesh = string(root, "mesh", violations);
    if (mesh == null || mesh.isEmpty()) {
      violations.add(FieldPath.of("mesh"), "cannot be empty");
    } else if (!MetaValidator.isMeshReference(mesh)) {
      violations.add(
          FieldPath.of("mesh"),
          "invalid characters. Valid characters are numbers, lowercase latin letters and '-', '_',"
              + " '.' symbols.");
    }
    String name = emptyToNull(string(root, "name", violations));
    if (name != null && !MetaValidator.isIdentifier(name)) {
      violations.add(
          FieldPath.of("name"),
          "invalid characters. A lowercase RFC 1123 subdomain must consist of lower case"
              + " alphanumeric characters, '-' or '.', and must start and end with an alphanumeric"
              + " character");
    }
    SortedMap<String, List<String>> tags = tags(root.get("tags"), violations);
    ProxyType type = type(emptyToNull(string(root, "type", violations)), violations);
    Duration validFor =
        validFor(string(root, "validFor", violations), defaultValidFor, maxValidFor, violations);
    String workload = emptyToNull(string(root, "workload", violations));
    violations.throwIfAny();
    return new DataplaneTokenRequest(name, mesh, tags, type, validFor, workload);
  }

  private static String string(JsonNode root, String field, Violations violations) {
    JsonNode value = root.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      violations.add(FieldPath.of(field), "must be a string");
      return null;
    }
    return value.textValue();
  }

  private static SortedMap<String, List<String>> tags(JsonNode node, Violations violations) {
    FieldPath path = FieldPath.of("tags");
    if (node == null || node.isNull()) {
      return Collections.emptySortedMap();
    }
    if (!node.isObject()) {
      violations.add(path, "must be a map of tag names to lists of values");
      return Collections.emptySortedMap();
    }
    SortedMap<String, List<String>> tags = new TreeMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> tag = fields.next();
      FieldPath tagPath = path.key(tag.getKey());
      if (!TAG_NAME.matcher(tag.getKey()).matches()) {
        violations.add(
            tagPath,
            "tag name must consist of alphanumeric characters, dots, dashes, slashes and"
                + " underscores");
      }
      if (!tag.getValue().isArray() || tag.getValue().isEmpty()) {
        violations.add(tagPath, "must be a non-empty list of values");
        continue;
      }
      List<String> values = new ArrayList<>();
      for (int i = 0; i < tag.getValue().size(); i++) {
        JsonNode value = tag.getValue().get(i);
        if (!value.isTextual() || !TAG_VALUE.matcher(value.textValue()).matches()) {
          violations.add(
              tagPath.index(i),
              "tag value must be a non-empty string of alphanumeric characters, dots, dashes and"
                  + " underscores");
        } else if (!values.contains(value.textValue())) {
          values.add(value.textValue());
        }
      }
      tags.put(tag.getKey(), List.copyOf(values));
    }
    return Collections.unmodifiableSortedMap(tags);
  }

  private static ProxyType type(String type, Violations violations) {
    if (type == null) {
      return null;
    }
    return ProxyType.fromWireName(type)
        .orElseGet(
            () -> {
              violations.add(
                  FieldPath.of("type"),
                  type + " is not a valid proxy type. Valid types are: dataplane, ingress, egress");
              return null;
            });
  }

  private static Duration validFor(
      String text, Duration defaultValidFor, Duration max, Violations violations) {
    if (text == null || text.isEmpty()) {
      return defaultValidFor.compareTo(max) > 0 ? max : defaultValidFor;
    }
    Duration validFor;
    try {
      validFor = GoDuration.parse(text);
    } catch (IllegalArgumentException e) {
      violations.add(FieldPath.of("validFor"), "is invalid: " + e.getMessage());
      return null;
    }
    if (validFor.isNegative() || validFor.isZero()) {
      violations.add(FieldPath.of("validFor"), "must be positive");
    } else if (validFor.compareTo(max) > 0) {
      violations.add(
          FieldPath.of("validFor"),
          "must not be longer than "
              + GoDuration.format(max)
              + " (quma.token-service.max-valid-for)");
    }
    return validFor;
  }

  private static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}

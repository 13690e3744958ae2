package dev.quma.hostile;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes a document tree as block YAML. Keys are plain when they look like names, so that a key
 * such as {@code 1} or {@code on} comes out as YAML reads it (not a string); {@link Json.Raw}
 * values go out verbatim (anchors, aliases, tags).
 */
final class Yaml {
  private Yaml() {}

  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./~-]+");

  static String write(Object value) {
    StringBuilder out = new StringBuilder();
    if (value instanceof Map<?, ?> || value instanceof List<?>) {
      block(value, 0, out);
    } else {
      out.append(scalar(value)).append('\n');
    }
    return out.toString();
  }

  private static void block(Object value, int indent, StringBuilder out) {
    String pad = " ".repeat(indent);
    if (value instanceof Map<?, ?> map) {
      if (map.isEmpty()) {
        out.append(pad).append("{}\n");
        return;
      }
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        String key = String.valueOf(entry.getKey());
        out.append(pad).append(PLAIN.matcher(key).matches() ? key : Json.write(key)).append(':');
        child(entry.getValue(), indent + 2, out);
      }
    } else if (value instanceof List<?> list) {
      if (list.isEmpty()) {
        out.append(pad).append("[]\n");
        return;
      }
      for (Object item : list) {
        out.append(pad).append('-');
        child(item, indent + 2, out);
      }
    }
  }

  private static void child(Object value, int indent, StringBuilder out) {
    if ((value instanceof Map<?, ?> map && !map.isEmpty())
        || (value instanceof List<?> list && !list.isEmpty())) {
      if (indent > 200) {
        // Deep documents go out in flow style: block indentation would grow quadratically.
        out.append(' ').append(Json.write(value)).append('\n');
        return;
      }
      out.append('\n');
      block(value, indent, out);
    } else {
      out.append(' ').append(scalar(value)).append('\n');
    }
  }

  private static String scalar(Object value) {
    if (value instanceof Json.Raw raw) {
      return raw.text();
    }
    if (value instanceof Map<?, ?> || value instanceof List<?>) {
      return Json.write(value);
    }
    return Json.write(value);
  }
}

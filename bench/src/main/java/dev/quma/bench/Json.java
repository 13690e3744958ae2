package dev.quma.bench;

import java.util.Iterator;
import java.util.Map;

/**
 * Just enough JSON writing for result files (maps, lists, numbers, strings), to keep the bench
 * dependency-free.
 */
final class Json {
  private Json() {}

  static String write(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out, "");
    return out.toString();
  }

  private static void write(Object value, StringBuilder out, String indent) {
    if (value instanceof Map<?, ?> map) {
      out.append("{\n");
      Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<?, ?> entry = it.next();
        out.append(indent).append("  \"").append(entry.getKey()).append("\": ");
        write(entry.getValue(), out, indent + "  ");
        out.append(it.hasNext() ? ",\n" : "\n");
      }
      out.append(indent).append("}");
    } else if (value instanceof Iterable<?> list) {
      out.append("[");
      Iterator<?> it = list.iterator();
      while (it.hasNext()) {
        out.append("\n").append(indent).append("  ");
        write(it.next(), out, indent + "  ");
        out.append(it.hasNext() ? "," : "\n" + indent);
      }
      out.append("]");
    } else if (value instanceof Number || value instanceof Boolean) {
      out.append(value);
    } else {
      out.append('"')
          .append(String.valueOf(value).replace("\\", "\\\\").replace("\"", "\\\""))
          .append('"');
    }
  }
}

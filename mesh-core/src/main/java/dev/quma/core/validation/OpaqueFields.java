package dev.quma.core.validation;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Bounds for the fields this control plane keeps as given without knowing their shape (a Mesh's
 * sections, a Dataplane's {@code metrics.conf}): how deep they nest and how large they are. One
 * such field nested a thousand levels deep used to be stored, and then broke every page it was on.
 */
public final class OpaqueFields {
  private OpaqueFields() {}

  /** Far beyond any Kuma setting (mTLS backends nest about six levels). */
  public static final int MAX_DEPTH = 32;

  /** Bytes of keys and values together, as UTF-8. */
  public static final int MAX_BYTES = 64 * 1024;

  public static void check(FieldPath path, Object value, Violations out) {
    Walk walk = new Walk();
    walk.visit(value, 1);
    if (walk.tooDeep) {
      out.add(path, "must not nest deeper than " + MAX_DEPTH + " levels");
    } else if (walk.bytes > MAX_BYTES) {
      out.add(path, "must not be larger than " + MAX_BYTES + " bytes");
    }
  }

  private static final class Walk {
    boolean tooDeep;
    long bytes;

    void visit(Object value, int depth) {
      if (tooDeep || bytes > MAX_BYTES) {
        return;
      }
      switch (value) {
        case Map<?, ?> map -> {
          if (depth > MAX_DEPTH) {
            tooDeep = true;
            return;
          }
          for (Map.Entry<?, ?> entry : map.entrySet()) {
            bytes += size(String.valueOf(entry.getKey())) + 4;
            visit(entry.getValue(), depth + 1);
          }
        }
        case List<?> list -> {
          if (depth > MAX_DEPTH) {
            tooDeep = true;
            return;
          }
          for (Object item : list) {
            bytes += 1;
            visit(item, depth + 1);
          }
        }
        case null -> bytes += 4;
        default -> bytes += size(String.valueOf(value)) + 2;
      }
    }

    private static long size(String text) {
      return text.getBytes(StandardCharsets.UTF_8).length;
    }
  }
}

package dev.quma.hostile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Values of the wrong type, odd size or odd shape, to put where a document expects another. */
final class Values {
  private Values() {}

  static Object wrongType(Random random) {
    return switch (random.nextInt(16)) {
      case 0 -> null;
      case 1 -> true;
      case 2 -> false;
      case 3 -> 0;
      case 4 -> -1;
      case 5 -> new Json.Raw("9223372036854775808");
      case 6 -> new Json.Raw("1e400");
      case 7 -> new Json.Raw("-0.0");
      case 8 -> 1.5;
      case 9 -> "";
      case 10 -> "12";
      case 11 -> "false";
      case 12 -> List.of();
      case 13 -> new LinkedHashMap<>();
      case 14 -> List.of(1, "a", List.of());
      default -> "x".repeat(random.nextBoolean() ? 70_000 : 300);
    };
  }

  /** {@code levels} maps (or lists) inside each other. */
  static Object nested(Random random, int levels) {
    Object value = 1;
    boolean lists = random.nextBoolean();
    for (int i = 0; i < levels; i++) {
      if (lists) {
        value = List.of(value);
      } else {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("a", value);
        value = map;
      }
    }
    return value;
  }

  static int depth(Random random) {
    int[] depths = {3, 31, 33, 64, 200, 996, 1001, 1500};
    return depths[random.nextInt(depths.length)];
  }

  /** A copy of a document tree, so that mutations never touch the template. */
  @SuppressWarnings("unchecked")
  static Object copy(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), copy(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(v -> out.add(copy(v)));
      return out;
    }
    return value;
  }
}

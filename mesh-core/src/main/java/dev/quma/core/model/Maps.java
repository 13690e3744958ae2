package dev.quma.core.model;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** Defensive copies for record components: sorted, unmodifiable, never null. */
final class Maps {
  private Maps() {}

  static <V> SortedMap<String, V> sortedCopy(Map<String, V> map) {
    if (map == null || map.isEmpty()) {
      return Collections.emptySortedMap();
    }
    TreeMap<String, V> copy = new TreeMap<>();
    map.forEach(
        (k, v) -> {
          if (k == null || v == null) {
            throw new IllegalArgumentException("must not contain null keys or values");
          }
          copy.put(k, v);
        });
    return Collections.unmodifiableSortedMap(copy);
  }

  static <T> List<T> listCopy(List<T> list) {
    if (list == null || list.isEmpty()) {
      return List.of();
    }
    for (T item : list) {
      if (item == null) {
        throw new IllegalArgumentException("must not contain null entries");
      }
    }
    return List.copyOf(list);
  }
}

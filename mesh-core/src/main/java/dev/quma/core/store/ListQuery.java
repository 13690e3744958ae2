package dev.quma.core.store;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A page request with Kuma's filters: {@code nameContains} (substring of the name) and {@code tags}
 * (every key must be present on the resource with a value containing the given text).
 */
public record ListQuery(
    long offset, int size, String nameContains, SortedMap<String, String> tags) {
  public static final int DEFAULT_SIZE = 100;

  public ListQuery {
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative");
    }
    if (size < 1) {
      throw new IllegalArgumentException("size must be positive");
    }
    tags = tags == null ? new TreeMap<>() : new TreeMap<>(tags);
    nameContains = nameContains == null || nameContains.isEmpty() ? null : nameContains;
  }

  public static ListQuery page(long offset, int size) {
    return new ListQuery(offset, size, null, null);
  }

  public static ListQuery all() {
    return new ListQuery(0, Integer.MAX_VALUE, null, null);
  }

  public ListQuery withTags(Map<String, String> filter) {
    return new ListQuery(offset, size, nameContains, new TreeMap<>(filter));
  }

  public ListQuery withNameContains(String text) {
    return new ListQuery(offset, size, text, tags);
  }

  boolean filtered() {
    return nameContains != null || !tags.isEmpty();
  }
}

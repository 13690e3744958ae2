package dev.quma.core.store;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A page request with Kuma's filters: {@code nameContains} (substring of the name), {@code tags}
 * (every key must be present on the resource with a value containing the given text) and, for
 * dataplanes, {@code gateway} (Kuma's {@code gateway=true|false|builtin|delegated}).
 */
public record ListQuery(
    long offset,
    int size,
    String nameContains,
    SortedMap<String, String> tags,
    GatewayFilter gateway) {
  public static final int DEFAULT_SIZE = 100;

  /** Which dataplanes a {@code gateway} filter keeps. */
  public enum GatewayFilter {
    ANY,
    /** {@code gateway=true}: gateways of either type. */
    GATEWAY,
    /** {@code gateway=false}: standard dataplanes. */
    NOT_GATEWAY,
    BUILTIN,
    DELEGATED
  }

  public ListQuery {
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative");
    }
    if (size < 1) {
      throw new IllegalArgumentException("size must be positive");
    }
    tags = tags == null ? new TreeMap<>() : new TreeMap<>(tags);
    nameContains = nameContains == null || nameContains.isEmpty() ? null : nameContains;
    gateway = gateway == null ? GatewayFilter.ANY : gateway;
  }

  /** Where the page ends (exclusive); saturates instead of overflowing for a huge offset. */
  public long end() {
    return offset > Long.MAX_VALUE - size ? Long.MAX_VALUE : offset + size;
  }

  public ListQuery(long offset, int size, String nameContains, SortedMap<String, String> tags) {
    this(offset, size, nameContains, tags, GatewayFilter.ANY);
  }

  public static ListQuery page(long offset, int size) {
    return new ListQuery(offset, size, null, null);
  }

  public static ListQuery all() {
    return new ListQuery(0, Integer.MAX_VALUE, null, null);
  }

  public ListQuery withTags(Map<String, String> filter) {
    return new ListQuery(offset, size, nameContains, new TreeMap<>(filter), gateway);
  }

  public ListQuery withNameContains(String text) {
    return new ListQuery(offset, size, text, tags, gateway);
  }

  public ListQuery withGateway(GatewayFilter filter) {
    return new ListQuery(offset, size, nameContains, tags, filter);
  }

  boolean filtered() {
    return nameContains != null || !tags.isEmpty() || gateway != GatewayFilter.ANY;
  }
}

package dev.quma.core.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;

/**
 * What identifies a stored resource and when it changed. {@code mesh} is null for global resources.
 * {@code version} increases on every write and is what optimistic concurrency compares.
 */
public record ResourceMeta(
    ResourceType type,
    String mesh,
    String name,
    Instant creationTime,
    Instant modificationTime,
    SortedMap<String, String> labels,
    long version) {

  public ResourceMeta {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(name, "name");
    labels = Maps.sortedCopy(labels);
  }

  public static ResourceMeta of(
      ResourceType type, String mesh, String name, Map<String, String> labels) {
    return new ResourceMeta(type, mesh, name, null, null, Maps.sortedCopy(labels), 0);
  }
}

package dev.quma.xds.mesh;

import dev.quma.core.model.Dataplane;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What an outbound reaches: every inbound in the mesh carrying all of these tags (among them {@code
 * kuma.io/service}). Outbounds with the same tags share one cluster and one load assignment.
 */
public record OutboundTarget(SortedMap<String, String> tags) {

  public OutboundTarget {
    tags = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(tags));
    if (!tags.containsKey(Dataplane.SERVICE_TAG)) {
      throw new IllegalArgumentException("an outbound target needs " + Dataplane.SERVICE_TAG);
    }
  }

  public static OutboundTarget of(Dataplane.Outbound outbound) {
    TreeMap<String, String> tags = new TreeMap<>(outbound.tags());
    outbound.serviceName().ifPresent(service -> tags.putIfAbsent(Dataplane.SERVICE_TAG, service));
    return new OutboundTarget(tags);
  }

  public static OutboundTarget service(String service) {
    return new OutboundTarget(new TreeMap<>(Map.of(Dataplane.SERVICE_TAG, service)));
  }

  public String service() {
    return tags.get(Dataplane.SERVICE_TAG);
  }

  /** True when an inbound with {@code inboundTags} is one of this target's endpoints. */
  public boolean matches(Map<String, String> inboundTags) {
    for (Map.Entry<String, String> tag : tags.entrySet()) {
      if (!tag.getValue().equals(inboundTags.get(tag.getKey()))) {
        return false;
      }
    }
    return true;
  }
}

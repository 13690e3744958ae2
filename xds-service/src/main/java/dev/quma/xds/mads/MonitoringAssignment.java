package dev.quma.xds.mads;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One proxy to scrape, as Kuma's MADS describes it: its mesh and service, labels common to its
 * targets, and one target (the dataplane's metrics listener).
 */
public record MonitoringAssignment(
    String mesh, String service, Map<String, String> labels, List<Target> targets) {
  public MonitoringAssignment {
    labels = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    targets = List.copyOf(targets);
  }

  /** Kuma's resource name of a dataplane's assignment. */
  public static String resourceName(String mesh, String dataplane) {
    return "/meshes/" + mesh + "/dataplanes/" + dataplane;
  }

  /**
   * @param name the dataplane
   * @param address {@code host:port} of its metrics listener
   */
  public record Target(
      String name, String scheme, String address, String metricsPath, Map<String, String> labels) {
    public Target {
      labels = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    }
  }
}

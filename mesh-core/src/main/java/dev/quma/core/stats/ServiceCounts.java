package dev.quma.core.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One service of a mesh as the counters keep it (the {@code services} hash of {@code
 * stats-lib.lua}): how many dataplanes carry it and how many of those are online. A partially
 * degraded dataplane is not online, so it counts among the offline ones here.
 *
 * @param kind {@code internal}, {@code gatewayBuiltin} or {@code gatewayDelegated}
 */
public record ServiceCounts(String name, String kind, long total, long online) {

  public long offline() {
    return Math.max(0, total - online);
  }

  /** The service's status by Kuma's rule: online when all are, offline when none is. */
  public String status() {
    if (online <= 0) {
      return "offline";
    }
    return online >= total ? "online" : "partiallyDegraded";
  }

  /**
   * Parses the hash ({@code t|KIND|SERVICE} and {@code o|KIND|SERVICE} to counts, '|' being \1),
   * sorted by name, then kind.
   */
  public static List<ServiceCounts> parse(Map<String, String> fields) {
    Map<String, long[]> byService = new TreeMap<>();
    for (Map.Entry<String, String> field : fields.entrySet()) {
      String key = field.getKey();
      int first = key.indexOf('\1');
      int second = first < 0 ? -1 : key.indexOf('\1', first + 1);
      if (second < 0) {
        continue;
      }
      String which = key.substring(0, first);
      // name first, so that the map's order is the list's order
      String id = key.substring(second + 1) + '\1' + key.substring(first + 1, second);
      long[] counts = byService.computeIfAbsent(id, k -> new long[2]);
      long n = Long.parseLong(field.getValue());
      switch (which) {
        case "t" -> counts[0] = n;
        case "o" -> counts[1] = n;
        default -> {}
      }
    }
    List<ServiceCounts> out = new ArrayList<>(byService.size());
    byService.forEach(
        (id, counts) -> {
          if (counts[0] > 0) {
            int split = id.lastIndexOf('\1');
            out.add(
                new ServiceCounts(
                    id.substring(0, split), id.substring(split + 1), counts[0], counts[1]));
          }
        });
    out.sort(Comparator.comparing(ServiceCounts::name).thenComparing(ServiceCounts::kind));
    return out;
  }
}

package dev.quma.core.stats;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A mesh's dataplane counters as the store keeps them: dataplanes by kind and status, by kuma-dp
 * and Envoy version, by mTLS backend, the mesh's services by kind and status, and how many distinct
 * services there are. Read in one round trip, whatever the number of dataplanes.
 *
 * @param dataplanesByKind {@code standard}, {@code gatewayBuiltin}, {@code gatewayDelegated}
 *     (always all three)
 * @param servicesByKind services (not dataplanes) by status: {@code internal}, {@code
 *     gatewayBuiltin}, {@code gatewayDelegated} (always all three)
 * @param modified when a counter last changed (null: never)
 */
public record MeshStats(
    Map<String, StatusCounts> dataplanesByKind,
    SortedMap<String, StatusCounts> kumaDpVersions,
    SortedMap<String, StatusCounts> envoyVersions,
    SortedMap<String, StatusCounts> issuedBackends,
    SortedMap<String, StatusCounts> supportedBackends,
    Map<String, StatusCounts> servicesByKind,
    long distinctServices,
    long epoch,
    Instant modified) {

  public static final MeshStats EMPTY = parse(Map.of(), 0);

  /** Every dataplane of the mesh, by status. */
  public StatusCounts dataplanes() {
    return dataplanesByKind.values().stream().reduce(StatusCounts.ZERO, StatusCounts::plus);
  }

  /** Parses the stats hash (field to value) and the number of distinct service names. */
  public static MeshStats parse(Map<String, String> fields, long distinctServices) {
    Map<String, StatusCounts> byKind = kinds(DataplaneClass.STANDARD);
    Map<String, StatusCounts> services = kinds(DataplaneClass.INTERNAL);
    SortedMap<String, StatusCounts> kumaDp = new TreeMap<>();
    SortedMap<String, StatusCounts> envoy = new TreeMap<>();
    SortedMap<String, StatusCounts> issued = new TreeMap<>();
    SortedMap<String, StatusCounts> supported = new TreeMap<>();
    long epoch = 0;
    Instant modified = null;
    for (Map.Entry<String, String> field : fields.entrySet()) {
      String name = field.getKey();
      if (name.equals("epoch")) {
        epoch = Long.parseLong(field.getValue());
        continue;
      }
      if (name.equals("mt")) {
        modified = Instant.ofEpochMilli(Long.parseLong(field.getValue()));
        continue;
      }
      int first = name.indexOf('\1');
      int last = name.lastIndexOf('\1');
      if (first < 0 || last == first) {
        continue;
      }
      String group = name.substring(0, first);
      String key = name.substring(first + 1, last);
      String status = name.substring(last + 1);
      long n = Long.parseLong(field.getValue());
      Map<String, StatusCounts> target =
          switch (group) {
            case "dp" -> byKind;
            case "svc" -> services;
            case "kumaDp" -> kumaDp;
            case "envoy" -> envoy;
            case "issued" -> issued;
            case "supported" -> supported;
            default -> null;
          };
      if (target != null) {
        target.put(key, target.getOrDefault(key, StatusCounts.ZERO).with(status, n));
      }
    }
    return new MeshStats(
        Collections.unmodifiableMap(byKind),
        Collections.unmodifiableSortedMap(kumaDp),
        Collections.unmodifiableSortedMap(envoy),
        Collections.unmodifiableSortedMap(issued),
        Collections.unmodifiableSortedMap(supported),
        Collections.unmodifiableMap(services),
        distinctServices,
        epoch,
        modified);
  }

  /** The three kinds, zero, in Kuma's order ({@code first} is standard or internal). */
  private static Map<String, StatusCounts> kinds(String first) {
    Map<String, StatusCounts> kinds = new LinkedHashMap<>();
    kinds.put(first, StatusCounts.ZERO);
    kinds.put(DataplaneClass.GATEWAY_BUILTIN, StatusCounts.ZERO);
    kinds.put(DataplaneClass.GATEWAY_DELEGATED, StatusCounts.ZERO);
    return kinds;
  }
}

package dev.quma.core.insight;

import dev.quma.core.model.Dataplane;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a proxy's health checks (Envoy's Health Discovery Service) last said about its dataplane:
 * whether the proxy itself is ready (its agent's readiness reporter; a draining proxy is not) and,
 * per inbound port, whether the local service answered its {@code serviceProbe}. Stored per mesh in
 * the {@code probes} hash until the dataplane is deleted.
 *
 * @param sinceMillis when this result was first reported (epoch ms)
 * @param proxyReady false while the readiness reporter fails: then no inbound is ready
 * @param inbounds inbound port -> whether its service probe passes; a port with a probe that is
 *     missing here has had no report yet
 */
public record ProbeHealth(long sinceMillis, boolean proxyReady, Map<Integer, Boolean> inbounds) {

  public ProbeHealth {
    inbounds = Map.copyOf(inbounds);
  }

  /**
   * Whether probes let an inbound be an endpoint. An inbound with a {@code serviceProbe} is not
   * ready until a report says it passes; one without follows only the proxy's readiness. {@code
   * health} is null when nothing was ever reported.
   */
  public static boolean allows(ProbeHealth health, Dataplane.Inbound inbound) {
    if (health != null && !health.proxyReady()) {
      return false;
    }
    if (inbound.serviceProbe() == null) {
      return true;
    }
    return health != null && Boolean.TRUE.equals(health.inbounds().get(inbound.port()));
  }

  /**
   * The stored health, without the time: {@code R;PORT=H,...} with R and H {@code 1} or {@code 0}.
   */
  public String storedHealth() {
    StringBuilder out = new StringBuilder(proxyReady ? "1" : "0").append(';');
    boolean first = true;
    for (Map.Entry<Integer, Boolean> inbound : new TreeMap<>(inbounds).entrySet()) {
      if (!first) {
        out.append(',');
      }
      out.append(inbound.getKey()).append('=').append(inbound.getValue() ? '1' : '0');
      first = false;
    }
    return out.toString();
  }

  /** The same results, as of another time (a result is compared without its time). */
  public boolean sameHealth(ProbeHealth other) {
    return other != null && proxyReady == other.proxyReady && inbounds.equals(other.inbounds);
  }

  /** Reads a stored value {@code SINCE;R;PORT=H,...}; null for none or a malformed one. */
  public static ProbeHealth parse(String stored) {
    if (stored == null) {
      return null;
    }
    String[] parts = stored.split(";", -1);
    if (parts.length != 3) {
      return null;
    }
    try {
      Map<Integer, Boolean> inbounds = new TreeMap<>();
      if (!parts[2].isEmpty()) {
        for (String inbound : parts[2].split(",")) {
          int equals = inbound.indexOf('=');
          inbounds.put(
              Integer.parseInt(inbound.substring(0, equals)),
              inbound.substring(equals + 1).equals("1"));
        }
      }
      return new ProbeHealth(Long.parseLong(parts[0]), parts[1].equals("1"), inbounds);
    } catch (RuntimeException e) {
      return null;
    }
  }
}

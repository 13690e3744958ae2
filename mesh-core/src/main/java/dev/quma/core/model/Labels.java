package dev.quma.core.model;

import java.util.Map;

/** Labels this control plane itself puts on resources. */
public final class Labels {
  private Labels() {}

  /**
   * On a Dataplane: {@code direct} when the xDS tier registered it from the proxy's own resource
   * (Direct lifecycle: deleted when the proxy leaves gracefully). Dataplanes created through the
   * API have no such label (Indirect lifecycle: kept when the proxy leaves).
   */
  public static final String LIFECYCLE = "quma.dev/lifecycle";

  public static final String DIRECT = "direct";

  public static boolean isDirect(Resource<?> dataplane) {
    return DIRECT.equals(dataplane.meta().labels().get(LIFECYCLE));
  }

  public static Map<String, String> direct() {
    return Map.of(LIFECYCLE, DIRECT);
  }
}

package dev.quma.core.stats;

import dev.quma.core.insight.DataplaneInsight;
import dev.quma.core.model.Dataplane;
import dev.quma.core.model.Dataplane.Inbound;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.StringJoiner;

/**
 * What a dataplane adds to its mesh's counters, as the compact strings the store's scripts keep on
 * its record and count with ({@code stats-lib.lua} documents the format): its spec class (type,
 * readiness of its inbounds, services) and the versions of its latest subscription (the insight
 * class; the xDS tier issues no certificates, so it never names mTLS backends). The status itself
 * (online, offline, partially degraded) is decided inside Redis, where the online set is, by Kuma's
 * rules.
 */
public final class DataplaneClass {
  /** Kinds of dataplane, as {@code dataplanesByType} names them. */
  public static final String STANDARD = "standard";

  public static final String GATEWAY_BUILTIN = "gatewayBuiltin";
  public static final String GATEWAY_DELEGATED = "gatewayDelegated";

  /** Kind of a service carried by inbounds (gateway services are of their gateway's kind). */
  public static final String INTERNAL = "internal";

  /** Longest version or backend name counted; a proxy reports its version, so it is bounded. */
  static final int MAX_LABEL = 64;

  private DataplaneClass() {}

  /**
   * The spec class: {@code KIND \t READINESS [\t SERVICEKIND \1 SERVICE]...}. Readiness follows
   * Kuma: inbounds in state Ignored do not count; an inbound is not ready when {@code health.ready}
   * is false or its state is NotReady; {@code down} when none is ready (or none counts), {@code
   * degraded} when some are not. When some inbound has a {@code serviceProbe}, its readiness also
   * depends on probe results, which Redis holds: READINESS is then {@code p} followed by each
   * counted inbound as {@code PORT=R} ({@code R} 1 or 0 by the spec), with a trailing {@code p} for
   * a probed one ({@code p8080=1p,9090=1}), and the counters library decides.
   */
  public static String ofSpec(Dataplane dataplane) {
    Dataplane.Networking networking = dataplane.networking();
    String kind = kind(dataplane);
    int counted = 0;
    int notReady = 0;
    boolean probed = false;
    StringJoiner perInbound = new StringJoiner(",", "p", "");
    Set<String> services = new LinkedHashSet<>();
    if (networking != null) {
      if (networking.gateway() != null) {
        String service = networking.gateway().tags().get(Dataplane.SERVICE_TAG);
        if (service != null && !service.isEmpty()) {
          services.add(kind + '\1' + service);
        }
      }
      for (Inbound inbound : networking.inbound()) {
        if (inbound.state() == Inbound.State.IGNORED) {
          continue;
        }
        counted++;
        boolean ready =
            (inbound.health() == null || inbound.health().ready())
                && inbound.state() != Inbound.State.NOT_READY;
        if (!ready) {
          notReady++;
        }
        probed |= inbound.serviceProbe() != null;
        perInbound.add(
            inbound.port()
                + "="
                + (ready ? '1' : '0')
                + (inbound.serviceProbe() != null ? "p" : ""));
        String service = inbound.tags().get(Dataplane.SERVICE_TAG);
        if (service != null && !service.isEmpty()) {
          services.add(INTERNAL + '\1' + service);
        }
      }
    }
    String readiness =
        probed
            ? perInbound.toString()
            : notReady == counted ? "down" : notReady > 0 ? "degraded" : "ready";
    StringBuilder out = new StringBuilder(kind).append('\t').append(readiness);
    services.forEach(service -> out.append('\t').append(service));
    return out.toString();
  }

  /** {@code standard}, {@code gatewayBuiltin} or {@code gatewayDelegated}. */
  public static String kind(Dataplane dataplane) {
    if (!dataplane.hasGateway()) {
      return STANDARD;
    }
    return dataplane.networking().gateway().effectiveType() == Dataplane.Gateway.Type.BUILTIN
        ? GATEWAY_BUILTIN
        : GATEWAY_DELEGATED;
  }

  /** kuma-dp's version, as counted ({@code ""} when unknown). */
  public static String kumaDpVersion(DataplaneInsight.Version version) {
    return version == null || version.kumaDp() == null ? "" : label(version.kumaDp().version());
  }

  /** Envoy's version, as counted ({@code ""} when unknown). */
  public static String envoyVersion(DataplaneInsight.Version version) {
    return version == null || version.envoy() == null ? "" : label(version.envoy().version());
  }

  /** A value safe to count: no separators of the formats, bounded length. */
  static String label(Object value) {
    if (value == null) {
      return "";
    }
    String text = value.toString();
    StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_LABEL));
    for (int i = 0; i < text.length() && out.length() < MAX_LABEL; i++) {
      char c = text.charAt(i);
      out.append(Character.isISOControl(c) ? '_' : c);
    }
    return out.toString();
  }
}

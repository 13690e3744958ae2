package dev.quma.api.views;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.quma.core.dns.DomainNames;
import dev.quma.core.insight.Departure;
import dev.quma.core.insight.ProbeHealth;
import dev.quma.core.model.Dataplane;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether an inbound is an endpoint of its consumers now, and what decides it ({@code source}): the
 * stored dataplane ({@code api}: {@code health.ready} or {@code state}), its address ({@code
 * address}: a domain name that does not resolve), its proxy's connection ({@code connection}: it
 * left, is offline, or its stream broke), or the proxy's health checks ({@code probe}: its
 * readiness, or the inbound's {@code serviceProbe}); the same rules, in the same order, as the xDS
 * tier's endpoints. A Quma addition to Kuma's overview.
 *
 * @param source null when nothing speaks against it and no probe vouches for it
 * @param since when the deciding fact started, where known
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InboundHealth(
    Integer port, boolean ready, String source, String reason, Instant since) {
  static final String API = "api";
  static final String ADDRESS = "address";
  static final String CONNECTION = "connection";
  static final String PROBE = "probe";

  /** The health of each inbound of {@code spec}, as of {@code now}. */
  static List<InboundHealth> of(
      Dataplane spec,
      Map<String, DomainNames.Resolution> names,
      Departure departure,
      ProbeHealth probe,
      boolean probesCount,
      Duration grace,
      Instant now) {
    List<InboundHealth> out = new ArrayList<>();
    if (spec == null || spec.networking() == null) {
      return out;
    }
    for (Dataplane.Inbound inbound : spec.networking().inbound()) {
      String address = DomainNames.endpointAddress(spec.networking(), inbound);
      DomainNames.Resolution unresolved = address == null ? null : names.get(address);
      if (unresolved != null && unresolved.resolved()) {
        unresolved = null;
      }
      out.add(
          unresolved != null && inbound.ready()
              ? new InboundHealth(
                  inbound.port(),
                  false,
                  ADDRESS,
                  "its address " + unresolved.name() + " " + unresolved.problem(),
                  unresolved.at())
              : of(inbound, departure, probesCount ? probe : null, probesCount, grace, now));
    }
    return out;
  }

  private static InboundHealth of(
      Dataplane.Inbound inbound,
      Departure departure,
      ProbeHealth probe,
      boolean probesCount,
      Duration grace,
      Instant now) {
    Integer port = inbound.port();
    if (!inbound.ready()) {
      return new InboundHealth(
          port,
          false,
          API,
          inbound.state() != null
              ? "its state is " + inbound.state().name() + " in the dataplane"
              : "health.ready is false in the dataplane",
          null);
    }
    if (departure != null) {
      Instant since = Instant.ofEpochMilli(departure.sinceMillis());
      switch (departure.kind()) {
        case LEFT -> {
          return new InboundHealth(port, false, CONNECTION, "its proxy left", since);
        }
        case OFFLINE -> {
          return new InboundHealth(port, false, CONNECTION, "its proxy is offline", since);
        }
        case LOST -> {
          Instant until = since.plus(grace);
          if (!now.isBefore(until)) {
            return new InboundHealth(
                port,
                false,
                CONNECTION,
                "its proxy's stream broke; dropped after the grace period of "
                    + grace.toSeconds()
                    + " s (unless the panic guard holds its service)",
                since);
          }
          return new InboundHealth(
              port,
              true,
              CONNECTION,
              "its proxy's stream broke; kept for the grace period, until " + until,
              since);
        }
      }
    }
    if (probe != null && !probe.proxyReady()) {
      return new InboundHealth(
          port,
          false,
          PROBE,
          "its proxy's readiness check fails (the agent is draining, or Envoy is not live)",
          Instant.ofEpochMilli(probe.sinceMillis()));
    }
    if (probesCount && inbound.serviceProbe() != null) {
      Boolean passes = probe == null ? null : probe.inbounds().get(port);
      if (passes == null) {
        return new InboundHealth(port, false, PROBE, "no health report of its service yet", null);
      }
      return new InboundHealth(
          port,
          passes,
          PROBE,
          passes ? "its service probe passes" : "its service probe fails",
          Instant.ofEpochMilli(probe.sinceMillis()));
    }
    return new InboundHealth(port, true, null, null, null);
  }
}

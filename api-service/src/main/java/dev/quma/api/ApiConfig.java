package dev.quma.api;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings of the HTTP API; see the configuration table in the README. */
@ConfigMapping(prefix = "quma.api")
public interface ApiConfig {
  /**
   * The URL clients reach the API at when it is behind a proxy (Kuma's {@code
   * KUMA_API_SERVER_ROOT_URL}): {@code next} links start with it. Unset, they name the host the
   * request named.
   */
  Optional<String> rootUrl();

  /** Largest {@code size} a list request may ask for. */
  @WithDefault("1000")
  int maxPageSize();

  /** How long the initial admin token is valid. */
  @WithDefault("87600h")
  Duration adminTokenValidFor();

  /** How long {@code .../xds} waits for the xDS replica that holds the proxy's stream. */
  @WithDefault("5s")
  Duration xdsDumpTimeout();

  /** How often each mesh's counters are reconciled with its dataplanes (0: never). */
  @WithDefault("5m")
  Duration insightsReconcileInterval();

  /** Dataplanes per round trip of a reconcile. */
  @WithDefault("500")
  int insightsReconcileBatch();

  /**
   * Where the GUI's token ledger page reaches the token-service; the GUI's pass-through forwards
   * the caller's own credentials there, never this service's.
   */
  @WithDefault("http://localhost:5683")
  String tokenServiceUrl();

  /** How long the pass-through waits for the token-service. */
  @WithDefault("5s")
  Duration tokenServiceTimeout();

  /**
   * A proxy counts as connected while it has an open subscription whose xDS replica wrote a
   * heartbeat this recently (as {@code quma.bootstrap.connected-within}): its dataplane is then
   * deleted only with {@code ?force=true}, and its mesh not at all.
   */
  @WithDefault("30s")
  Duration connectedWithin();

  /**
   * How long the xDS tier keeps a proxy whose stream broke as an endpoint (its {@code
   * quma.xds.connection-grace}), for the overview's inbound health.
   */
  @WithDefault("30s")
  Duration connectionGrace();

  /**
   * Whether the xDS tier runs service probes (Kuma: {@code KUMA_DP_SERVER_HDS_ENABLED}); when off
   * the overview says nothing of probes.
   */
  @WithDefault("true")
  boolean hdsEnabled();

  /**
   * The Kuma version this API answers as in {@code GET /} ({@code version}, {@code basedOnKuma}).
   * kumactl prints a warning on every command unless it equals its own version, so set it to the
   * kumactl version your users run when it is another 2.9 release.
   */
  @WithDefault("2.9.13")
  String kumaVersion();
}

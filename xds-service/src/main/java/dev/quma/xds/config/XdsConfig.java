package dev.quma.xds.config;

import dev.quma.core.runtime.GoDurationConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the xDS tier; Kuma's environment names are mapped in application.properties. */
@ConfigMapping(prefix = "quma.xds")
public interface XdsConfig {
  /** This replica's id in insights ({@code controlPlaneInstanceId}); defaults to the hostname. */
  @WithDefault("${HOSTNAME:xds-service}")
  String instanceId();

  /**
   * After a Direct proxy's stream ends, how long to wait for it to come back before deleting it.
   */
  @WithConverter(GoDurationConverter.class)
  @WithDefault("10s")
  Duration deregistrationDelay();

  /**
   * How often connected proxies' heartbeats are written (the lifecycle worker's idle timeout must
   * be longer).
   */
  @WithConverter(GoDurationConverter.class)
  @WithDefault("10s")
  Duration heartbeatInterval();

  /** How often changed ACK/NACK counters are written to the insights. */
  @WithConverter(GoDurationConverter.class)
  @WithDefault("1s")
  Duration statsFlushInterval();

  /** A full reload of the mesh views, as a safety net under the change stream. */
  @WithConverter(GoDurationConverter.class)
  @WithDefault("10m")
  Duration resyncInterval();

  /**
   * Serves {@code /debug/recompute-all} and {@code /debug/heap} on the HTTP port, for benchmarks.
   * Off by default: they cost CPU and reveal the fleet's size.
   */
  @WithDefault("false")
  boolean debugEndpoints();

  /**
   * Admissions (token check, registration, first snapshot) in flight at once; more wait in memory,
   * so a fleet reconnecting together does not flood Redis.
   */
  @WithDefault("64")
  int admissionConcurrency();

  /**
   * How a proxy proves which dataplane it is (Kuma: {@code KUMA_DP_SERVER_AUTHN_DP_PROXY_TYPE}).
   */
  @WithDefault("dp-token")
  DataplaneAuthn dataplaneAuthn();

  /** Ways for a proxy to authenticate its ADS stream. */
  enum DataplaneAuthn {
    /** A dataplane token bound to the proxy, as the stream's {@code authorization} metadata. */
    DP_TOKEN,
    /** No check at all: for local experiments only. */
    NONE
  }

  /**
   * While changes come faster than they are applied one by one (a fleet joining, a rollout), how
   * long to gather them before applying the next batch, so that a proxy affected by several gets
   * one push for all. A change that comes alone is applied at once. Zero turns batching off.
   */
  @WithConverter(GoDurationConverter.class)
  @WithDefault("20ms")
  Duration changeCoalescing();

  /**
   * How long a proxy whose stream broke without a close (a crash, a network cut, its replica gone)
   * stays an endpoint of its consumers, so that it can reconnect to any replica without a flap. A
   * proxy that closes its stream leaves them at once.
   */
  @WithConverter(GoDurationConverter.class)
  @WithDefault("30s")
  Duration connectionGrace();

  /**
   * The panic guard, in percent of a service's endpoints: when broken connections (past their grace
   * period) would take more than this share of one service's endpoints, all of them are kept. 100
   * turns the guard off. Probe results and proxies that left are not held.
   */
  @WithDefault("50")
  int connectionPanicThreshold();

  /** How consumers' endpoint pushes are paced while proxies arrive in a storm. */
  JoinStorm joinStorm();

  /**
   * A fleet joining (or reconnecting after a replica died) makes every arrival a new endpoint of
   * its service's consumers; pushed one by one, that is dozens of pushes per proxy. While arrivals
   * come faster than {@link #threshold}, what they change for a consumer gathers for a delay that
   * grows with their rate, at most {@link #maxDelay}. Other changes are pushed at once.
   */
  interface JoinStorm {
    /** Arrivals per second (over the last second, on this replica) from which pushes gather. */
    @WithDefault("20")
    int threshold();

    /** How long pushes gather at the threshold's rate; twice the rate, twice as long. */
    @WithConverter(GoDurationConverter.class)
    @WithDefault("2s")
    Duration delay();

    /**
     * The bound of the delay, however fast proxies arrive. A consumer is pushed about once per
     * delay while a storm lasts, so this decides the pushes per proxy of a long join.
     */
    @WithConverter(GoDurationConverter.class)
    @WithDefault("30s")
    Duration maxDelay();

    /**
     * Whether a proxy that has not answered its first endpoints yet is spared intermediate endpoint
     * sets: it gets the latest when it answers.
     */
    @WithDefault("true")
    boolean holdUntilAnswered();
  }

  /** How the server finds a proxy that went silent without closing its connection. */
  Keepalive keepalive();

  /**
   * HTTP/2 pings from the server on a connection with nothing to read: a peer behind a network cut
   * answers no ping, and its streams end after {@code time + timeout} instead of when the kernel
   * gives up on the socket (minutes to hours). Its endpoint then goes after the connection grace.
   */
  interface Keepalive {
    /** Silence on a connection before the server pings it (grpc-java allows no less than 10 s). */
    @WithConverter(GoDurationConverter.class)
    @WithDefault("15s")
    Duration time();

    /** How long a ping may go unanswered before the connection is closed. */
    @WithConverter(GoDurationConverter.class)
    @WithDefault("15s")
    Duration timeout();
  }

  /** Change events read per round. */
  @WithDefault("1000")
  int eventBatchSize();
}

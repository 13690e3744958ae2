package dev.quma.bootstrap;

import dev.quma.core.runtime.GoDurationConverter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Settings of the bootstrap tier; environment names are mapped in application.properties. */
@ConfigMapping(prefix = "quma.bootstrap")
public interface BootstrapConfig {
  /**
   * Where Envoy finds the xDS tier: a host name or IP the proxies can reach (the xDS tier is a
   * different service, usually behind its own load balancer).
   */
  @WithDefault("127.0.0.1")
  String xdsHost();

  @WithDefault("5678")
  int xdsPort();

  /**
   * The ADS flavour written into bootstraps. Delta by default: after the first answer a proxy gets
   * only what changed, which is what the xDS tier's incremental updates are built for. {@code grpc}
   * (state of the world) is what Kuma 2.9 writes.
   */
  @WithDefault("delta-grpc")
  AdsApiType adsApiType();

  /** Envoy's admin port when neither the dataplane nor the request names one (Kuma: 9901). */
  @WithDefault("9901")
  int defaultAdminPort();

  /**
   * Whether Envoy talks TLS to the xDS tier (it does unless the xDS tier runs with {@code
   * QUMA_XDS_PLAINTEXT=true}).
   */
  @WithDefault("true")
  boolean xdsTls();

  /**
   * PEM file of the CA that signed the xDS tier's certificate; unset: the control plane's CA from
   * the store, which is what the xDS tier uses unless its operator configured a certificate.
   */
  Optional<String> xdsCaFile();

  /**
   * A proxy counts as connected (and a different resource under its name is refused with 409) while
   * its xDS replica wrote a heartbeat this recently; longer than the xDS tier's heartbeat interval
   * (10s), so that a crashed replica's proxies stop counting soon after.
   */
  @WithConverter(GoDurationConverter.class)
  @WithDefault("30s")
  Duration connectedWithin();

  /**
   * Whether bootstraps enable the Health Discovery Service, over which the xDS tier asks Envoy to
   * run the dataplanes' service probes (Kuma: {@code KUMA_DP_SERVER_HDS_ENABLED}).
   */
  @WithDefault("true")
  boolean hdsEnabled();

  /** The two ways Envoy can run ADS. */
  enum AdsApiType {
    GRPC,
    DELTA_GRPC
  }
}

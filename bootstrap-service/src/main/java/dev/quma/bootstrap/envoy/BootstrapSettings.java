package dev.quma.bootstrap.envoy;

import dev.quma.bootstrap.BootstrapConfig.AdsApiType;

/**
 * What every bootstrap of this control plane shares.
 *
 * @param xdsCaPem the CA that signed the xDS tier's certificate; null when Envoy talks plaintext to
 *     the xDS tier (local development only)
 * @param hds whether bootstraps enable the Health Discovery Service (Kuma: {@code
 *     KUMA_DP_SERVER_HDS_ENABLED})
 */
public record BootstrapSettings(
    String xdsHost,
    int xdsPort,
    AdsApiType adsApiType,
    int defaultAdminPort,
    String xdsCaPem,
    boolean hds) {

  public BootstrapSettings(
      String xdsHost, int xdsPort, AdsApiType adsApiType, int defaultAdminPort, String xdsCaPem) {
    this(xdsHost, xdsPort, adsApiType, defaultAdminPort, xdsCaPem, true);
  }
}

package dev.quma.bootstrap.envoy;

import dev.quma.bootstrap.BootstrapConfig.AdsApiType;

/**
 * What every bootstrap of this control plane shares.
 *
 * @param xdsCaPem the CA that signed the xDS tier's certificate; null when Envoy talks plaintext to
 *     the xDS tier (local development only)
 */
public record BootstrapSettings(
    String xdsHost, int xdsPort, AdsApiType adsApiType, int defaultAdminPort, String xdsCaPem) {}

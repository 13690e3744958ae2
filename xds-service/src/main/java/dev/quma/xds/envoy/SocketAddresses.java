package dev.quma.xds.envoy;

import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;

/** The socket address of a listener, of a local cluster's endpoint and of an EDS endpoint. */
public final class SocketAddresses {
  private SocketAddresses() {}

  public static Address of(String address, int port) {
    return Address.newBuilder()
        .setSocketAddress(SocketAddress.newBuilder().setAddress(address).setPortValue(port))
        .build();
  }
}

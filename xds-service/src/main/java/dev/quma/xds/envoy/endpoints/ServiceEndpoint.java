package dev.quma.xds.envoy.endpoints;

import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import java.util.Objects;
import java.util.SortedMap;

/**
 * One inbound of one dataplane, as other proxies reach it: the advertised (or inbound, or
 * dataplane) address, the inbound port, and the inbound's tags; with its EDS form built once.
 */
public final class ServiceEndpoint implements Comparable<ServiceEndpoint> {
  private final String dataplane;
  private final String address;
  private final int port;
  private final SortedMap<String, String> tags;
  private final LbEndpoint lbEndpoint;
  private final int hash;

  public ServiceEndpoint(
      String dataplane, String address, int port, SortedMap<String, String> tags) {
    this.dataplane = dataplane;
    this.address = address;
    this.port = port;
    this.tags = tags;
    this.lbEndpoint = LoadAssignmentFactory.lbEndpoint(address, port, tags);
    // Kept: the endpoint lists of load assignments are memo keys, hashed on every lookup.
    this.hash = Objects.hash(dataplane, address, port, tags);
  }

  public String dataplane() {
    return dataplane;
  }

  public String address() {
    return address;
  }

  public int port() {
    return port;
  }

  public SortedMap<String, String> tags() {
    return tags;
  }

  public LbEndpoint lbEndpoint() {
    return lbEndpoint;
  }

  @Override
  public int compareTo(ServiceEndpoint other) {
    int byAddress = address.compareTo(other.address);
    if (byAddress != 0) {
      return byAddress;
    }
    int byPort = Integer.compare(port, other.port);
    return byPort != 0 ? byPort : dataplane.compareTo(other.dataplane);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ServiceEndpoint other
        && hash == other.hash
        && port == other.port
        && dataplane.equals(other.dataplane)
        && address.equals(other.address)
        && tags.equals(other.tags);
  }

  @Override
  public int hashCode() {
    return hash;
  }
}

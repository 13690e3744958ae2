package dev.quma.xds.generate;

import java.util.SortedMap;

/**
 * One inbound of one dataplane, as other proxies reach it: the advertised (or inbound, or
 * dataplane) address, the inbound port, and the inbound's tags.
 */
public record ServiceEndpoint(
    String dataplane, String address, int port, SortedMap<String, String> tags)
    implements Comparable<ServiceEndpoint> {

  @Override
  public int compareTo(ServiceEndpoint other) {
    int byAddress = address.compareTo(other.address);
    if (byAddress != 0) {
      return byAddress;
    }
    int byPort = Integer.compare(port, other.port);
    return byPort != 0 ? byPort : dataplane.compareTo(other.dataplane);
  }
}

package dev.quma.xds.mesh;

import dev.quma.core.dns.DomainNames;

/**
 * The IP at which other proxies reach a dataplane's address: an IP as it is, a domain name as it
 * last resolved; null while it does not (its inbounds are then no endpoints).
 */
@FunctionalInterface
public interface EndpointAddresses {
  /** Addresses as they are written (tests whose dataplanes have IPs only). */
  EndpointAddresses AS_WRITTEN = address -> address;

  String ipOf(String address);

  /** Domain names resolved by {@code names}. */
  static EndpointAddresses resolvedBy(DomainNames names) {
    return address -> {
      if (!DomainNames.isDomainName(address)) {
        return address;
      }
      DomainNames.Resolution resolution = names.current(address);
      return resolution == null ? null : resolution.address();
    };
  }
}

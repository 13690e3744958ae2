package dev.quma.xds.testing;

import dev.quma.core.dns.DomainNames;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In every @QuarkusTest of this module, domain names resolve as the test says ({@link #point},
 * {@link #remove}), looked up again every 200 ms; a name it never pointed does not resolve.
 */
@ApplicationScoped
public class ControlledNames {
  private static final Map<String, String> ADDRESSES = new ConcurrentHashMap<>();

  public static void point(String name, String ip) {
    ADDRESSES.put(name, ip);
  }

  public static void remove(String name) {
    ADDRESSES.remove(name);
  }

  @Produces
  @Singleton
  @Alternative
  @Priority(1)
  DomainNames domainNames(Clock clock) {
    return new DomainNames(
        name -> {
          String ip = ADDRESSES.get(name);
          if (ip == null) {
            throw new UnknownHostException(name);
          }
          return List.of(InetAddress.getByName(ip)); // an IP literal: no lookup
        },
        clock,
        Duration.ofMillis(200),
        Duration.ofMinutes(10));
  }

  void close(@jakarta.enterprise.inject.Disposes DomainNames names) {
    names.close();
  }
}

package dev.quma.xds;

import dev.quma.core.dns.DomainNames;
import dev.quma.xds.config.XdsConfig;
import dev.quma.xds.mesh.EndpointAddresses;
import dev.quma.xds.snapshot.ProxySnapshots;
import dev.quma.xds.testing.JudgingCache;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * In every @QuarkusTest of this module, the production snapshots over a cache that judges each
 * snapshot set by Envoy's rules ({@link JudgingCache}); tests check it with {@link
 * JudgingCache#assertEveryPushValid}.
 */
@ApplicationScoped
public class JudgedSnapshots {
  @Produces
  @Singleton
  @Alternative
  @Priority(1)
  ProxySnapshots snapshots(
      XdsMetrics metrics,
      XdsConfig config,
      dev.quma.xds.health.HdsConfig hds,
      DomainNames names,
      Clock clock) {
    return XdsBeans.snapshotsOver(
        new JudgingCache(), metrics, config, hds, EndpointAddresses.resolvedBy(names), clock);
  }
}

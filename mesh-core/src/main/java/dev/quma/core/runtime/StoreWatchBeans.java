package dev.quma.core.runtime;

import dev.quma.core.auth.UserTokens;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.StoreIdentity;
import dev.quma.core.store.StoreRecovery;
import dev.quma.core.store.StoreWatch;
import dev.quma.core.tls.CaRecovery;
import dev.quma.core.tls.ControlPlaneCa;
import dev.quma.core.tls.ServerTls;
import dev.quma.core.tokens.DataplaneTokenVerifier;
import dev.quma.core.tokens.TokenCacheRecovery;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.jboss.logging.Logger;

/**
 * Every service watches the store ({@link StoreWatch}); each part that must recover from a wiped
 * store is a {@link StoreRecovery} bean, registered here at start.
 */
@ApplicationScoped
public class StoreWatchBeans {
  private static final Logger LOG = Logger.getLogger(StoreWatchBeans.class);

  @Produces
  @Singleton
  StoreWatch storeWatch(ResourceStore store, StoreConfig config, Clock clock) {
    return new StoreWatch(
        new StoreIdentity(store.redis(), store.keys()), config.identityCheckInterval(), clock);
  }

  /** Every service that issued its certificate from the store's CA puts that CA back. */
  @Produces
  @Singleton
  CaRecovery caRecovery(ResourceStore store, Clock clock) {
    return new CaRecovery(new ControlPlaneCa(store, clock), ServerTls::issuer);
  }

  @Produces
  @Singleton
  TokenCacheRecovery tokenCacheRecovery(UserTokens users, DataplaneTokenVerifier dataplanes) {
    return new TokenCacheRecovery(users, dataplanes);
  }

  void onStart(
      @Observes StartupEvent event,
      StoreWatch watch,
      Instance<StoreRecovery> parts,
      RedisConfig redis) {
    // A setting that cannot describe a deployment (e.g. several hosts, standalone) stops the start.
    LOG.infof("the store: Redis %s", redis.deployment().describe());
    parts.forEach(watch::register);
    watch.start();
  }

  void onStop(@Observes ShutdownEvent event, StoreWatch watch) {
    watch.stop();
  }
}

package dev.quma.bootstrap;

import dev.quma.bootstrap.envoy.BootstrapSettings;
import dev.quma.bootstrap.envoy.EnvoyBootstrapFactory;
import dev.quma.core.admission.DataplaneAdmission;
import dev.quma.core.insight.ConnectedProxies;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.tokens.DataplaneTokenVerifier;
import dev.quma.http.auth.AccessPolicy;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Wires the bootstrap tier. */
@ApplicationScoped
public class BootstrapBeans {

  @Produces
  @Singleton
  DataplaneAdmission admission(
      ResourceStore store,
      Redis redis,
      DataplaneTokenVerifier verifier,
      Clock clock,
      BootstrapConfig config) {
    return new DataplaneAdmission(
        store,
        verifier,
        new ConnectedProxies(redis, store.keys(), clock, config.connectedWithin()));
  }

  @Produces
  @Singleton
  EnvoyBootstrapFactory factory(BootstrapConfig config, XdsTrust trust) {
    return new EnvoyBootstrapFactory(
        new BootstrapSettings(
            config.xdsHost(),
            config.xdsPort(),
            config.adsApiType(),
            config.defaultAdminPort(),
            trust.caPem(),
            config.hdsEnabled()));
  }

  /** The dataplane token in the body is the credential; no user token is asked for. */
  @Produces
  @Singleton
  AccessPolicy accessPolicy() {
    return (method, path) -> AccessPolicy.Access.PUBLIC;
  }
}

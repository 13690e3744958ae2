package dev.quma.core.runtime;

import dev.quma.core.store.StoreWatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready while the store is unavailable, and after a wipe until this service recreated what it
 * keeps there ({@link StoreWatch}).
 */
@Readiness
@ApplicationScoped
public class StoreReadiness implements HealthCheck {
  private final StoreWatch watch;

  public StoreReadiness(StoreWatch watch) {
    this.watch = watch;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("store")
        .status(watch.ready())
        .withData("reachable", watch.reachable())
        .withData("recovering", watch.recovering())
        .withData("wipes", watch.wipes())
        .build();
  }
}

package dev.quma.api.startup;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready until the default mesh and admin token exist (Redis' own check covers connectivity).
 */
@Readiness
@ApplicationScoped
public class DefaultsReadiness implements HealthCheck {
  private final Defaults defaults;

  public DefaultsReadiness(Defaults defaults) {
    this.defaults = defaults;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("defaults").status(defaults.ready()).build();
  }
}

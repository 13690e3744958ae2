package dev.quma.xds;

import dev.quma.xds.follow.ViewSync;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the mesh views are loaded: before that, a proxy would get an empty config. */
@Readiness
@ApplicationScoped
public class ViewReadiness implements HealthCheck {
  private final ViewSync views;

  public ViewReadiness(ViewSync views) {
    this.views = views;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("mesh views").status(views.loaded()).build();
  }
}

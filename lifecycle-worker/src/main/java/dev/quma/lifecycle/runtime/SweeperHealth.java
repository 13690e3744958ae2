package dev.quma.lifecycle.runtime;

import dev.quma.lifecycle.lease.LeaseKeeper;
import dev.quma.lifecycle.sweep.Sweeper;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Shows in {@code /q/health} whether this replica is the sweeper and how its last sweep went.
 * Always up: a follower is as ready as the leader, and Redis' own check (from the Redis client)
 * makes the service unready while Redis does not answer.
 */
@Readiness
@ApplicationScoped
public class SweeperHealth implements HealthCheck {
  private final LeaseKeeper lease;
  private final Sweeper sweeper;

  public SweeperHealth(LeaseKeeper lease, Sweeper sweeper) {
    this.lease = lease;
    this.sweeper = sweeper;
  }

  @Override
  public HealthCheckResponse call() {
    HealthCheckResponseBuilder response =
        HealthCheckResponse.named("lifecycle-sweeper")
            .up()
            .withData("leader", lease.isLeader())
            .withData("leaseToken", lease.token());
    sweeper
        .lastReport()
        .ifPresent(
            report ->
                response
                    .withData("lastSweep", report.number())
                    .withData("lastSweepOutcome", report.outcome().name())
                    .withData("lastSweepFinishedAt", report.finishedAt().toString()));
    return response.build();
  }
}

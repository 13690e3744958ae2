package dev.quma.tokens.ledger;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the ledger's schema is in place (the datasource check covers connectivity). */
@Readiness
@ApplicationScoped
public class LedgerReadiness implements HealthCheck {
  private final LedgerSchema schema;

  public LedgerReadiness(LedgerSchema schema) {
    this.schema = schema;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("ledger-schema").status(schema.migrated()).build();
  }
}

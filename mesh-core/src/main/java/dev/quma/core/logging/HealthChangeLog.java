package dev.quma.core.logging;

import io.smallrye.health.api.HealthType;
import io.smallrye.health.event.SmallRyeHealthStatusChangeEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * One log line each time a service's readiness changes, naming the checks that are down. The health
 * library's own line for every DOWN answer is turned off in each service's configuration: a service
 * that is starting is asked many times a second and would print it each time.
 */
@ApplicationScoped
public class HealthChangeLog {
  private static final Logger LOG = Logger.getLogger(HealthChangeLog.class);

  void onChange(@Observes SmallRyeHealthStatusChangeEvent event) {
    if (event.healthType() != HealthType.READINESS) {
      return;
    }
    if (event.health().isDown()) {
      LOG.infof("not ready: %s", String.join(", ", downChecks(event.health().getPayload())));
    } else {
      LOG.info("ready");
    }
  }

  static List<String> downChecks(JsonObject payload) {
    List<String> down = new ArrayList<>();
    JsonValue checks = payload.get("checks");
    if (checks != null && checks.getValueType() == JsonValue.ValueType.ARRAY) {
      for (JsonValue check : checks.asJsonArray()) {
        if (check.getValueType() == JsonValue.ValueType.OBJECT
            && "DOWN".equals(check.asJsonObject().getString("status", ""))) {
          down.add(check.asJsonObject().getString("name", "a check") + " DOWN");
        }
      }
    }
    return down.isEmpty() ? List.of("DOWN") : down;
  }
}

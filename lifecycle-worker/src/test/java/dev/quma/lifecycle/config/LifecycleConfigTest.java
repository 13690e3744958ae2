package dev.quma.lifecycle.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The service's application.properties read with a given environment, as Quarkus reads it. */
class LifecycleConfigTest {

  private static LifecycleSettings withEnvironment(Map<String, String> environment)
      throws IOException {
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .addDefaultInterceptors()
            .withSources(
                new PropertiesConfigSource(
                    LifecycleConfigTest.class.getResource("/application.properties"), 250))
            .withSources(new EnvConfigSource(environment, 300))
            .withMapping(LifecycleConfig.class)
            .build();
    return LifecycleSettings.from(config.getConfigMapping(LifecycleConfig.class));
  }

  @Test
  void kumasDefaults() throws IOException {
    LifecycleSettings settings = withEnvironment(Map.of());
    assertThat(settings.idleTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(settings.cleanupAge()).isEqualTo(Duration.ofHours(72));
    assertThat(settings.cleanupIndirect()).isTrue();
    assertThat(settings.sweepInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.batchSize()).isEqualTo(500);
    assertThat(settings.leaseTtl()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.leaseRenewEvery()).isEqualTo(Duration.ofSeconds(10));
    assertThat(settings.describe())
        .isEqualTo(
            "idle timeout 5m, cleanup age 72h (Direct and Indirect), sweep every 30s in batches of"
                + " 500, lease 30s renewed every 10s");
  }

  @Test
  void kumasEnvironmentNamesAndGoDurations() throws IOException {
    LifecycleSettings settings =
        withEnvironment(
            Map.of(
                "KUMA_METRICS_DATAPLANE_IDLE_TIMEOUT", "90s",
                "KUMA_RUNTIME_UNIVERSAL_DATAPLANE_CLEANUP_AGE", "1h30m",
                "QUMA_LIFECYCLE_CLEANUP_INDIRECT", "false",
                "QUMA_LIFECYCLE_SWEEP_INTERVAL", "1.5s",
                "QUMA_LIFECYCLE_LEASE_TTL", "1m"));
    assertThat(settings.idleTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(settings.cleanupAge()).isEqualTo(Duration.ofMinutes(90));
    assertThat(settings.cleanupIndirect()).isFalse();
    assertThat(settings.sweepInterval()).isEqualTo(Duration.ofMillis(1500));
    assertThat(settings.leaseTtl()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void quumasOwnNameWinsOverKumas() throws IOException {
    LifecycleSettings settings =
        withEnvironment(
            Map.of(
                "KUMA_METRICS_DATAPLANE_IDLE_TIMEOUT", "90s",
                "QUMA_LIFECYCLE_IDLE_TIMEOUT", "10m"));
    assertThat(settings.idleTimeout()).isEqualTo(Duration.ofMinutes(10));
  }

  @Test
  void badValuesStopTheServiceWithAMessageNamingTheSetting() {
    assertThatThrownBy(() -> withEnvironment(Map.of("KUMA_METRICS_DATAPLANE_IDLE_TIMEOUT", "5")))
        .hasStackTraceContaining("invalid duration \"5\"");
    assertThatThrownBy(
            () -> withEnvironment(Map.of("KUMA_RUNTIME_UNIVERSAL_DATAPLANE_CLEANUP_AGE", "0")))
        .hasMessageContaining("KUMA_RUNTIME_UNIVERSAL_DATAPLANE_CLEANUP_AGE")
        .hasMessageContaining("positive");
    assertThatThrownBy(() -> withEnvironment(Map.of("QUMA_LIFECYCLE_LEASE_RENEW_EVERY", "20s")))
        .hasMessage(
            "quma.lifecycle.lease.renew-every (20s) must be at most half of"
                + " quma.lifecycle.lease.ttl (30s)");
    assertThatThrownBy(() -> withEnvironment(Map.of("QUMA_LIFECYCLE_BATCH_SIZE", "5000")))
        .hasMessageContaining("quma.lifecycle.batch-size must be between 1 and 1000");
  }
}

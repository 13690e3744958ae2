package dev.quma.launcher;

import java.nio.file.Path;
import java.util.Map;

/**
 * One service of the control plane as the launcher runs it: its Quarkus jar, its HTTP port (where
 * {@code /q/health/ready} answers) and the environment it needs beyond the Redis URL.
 */
public record ServiceSpec(
    String name, Path jar, int httpPort, String description, Map<String, String> environment) {

  /** The services of this checkout, in start order. Later tiers are added here as they land. */
  public static java.util.List<ServiceSpec> all(Path home) {
    return java.util.List.of(
        new ServiceSpec(
            "api-service",
            home.resolve("api-service/target/quarkus-app/quarkus-run.jar"),
            5681,
            "HTTP API (Kuma-compatible)",
            Map.of("KUMA_API_SERVER_HTTP_PORT", "5681")),
        new ServiceSpec(
            "xds-service",
            home.resolve("xds-service/target/quarkus-app/quarkus-run.jar"),
            5679,
            "xDS (ADS, gRPC) on port 5678, MADS for Prometheus on 5676; health and metrics here",
            Map.of(
                "QUMA_XDS_PORT", "5678", "QUMA_XDS_HTTP_PORT", "5679", "QUMA_MADS_PORT", "5676")),
        new ServiceSpec(
            "lifecycle-worker",
            home.resolve("lifecycle-worker/target/quarkus-app/quarkus-run.jar"),
            5680,
            "Offline and cleanup sweeps (health and metrics only)",
            Map.of("QUMA_LIFECYCLE_HTTP_PORT", "5680")),
        new ServiceSpec(
            "token-service",
            home.resolve("token-service/target/quarkus-app/quarkus-run.jar"),
            5683,
            "dataplane tokens, signing keys, ledger",
            Map.of("QUMA_TOKEN_SERVICE_HTTP_PORT", "5683")),
        new ServiceSpec(
            "bootstrap-service",
            home.resolve("bootstrap-service/target/quarkus-app/quarkus-run.jar"),
            5684,
            "POST /bootstrap over HTTPS on port 5682 (agents trust .quma/tls/bootstrap-service/ca.crt);"
                + " health and metrics here",
            Map.of(
                "QUMA_BOOTSTRAP_PORT",
                "5682",
                "QUMA_BOOTSTRAP_MANAGEMENT_PORT",
                "5684",
                "QUMA_TLS_DIR",
                home.resolve(".quma/tls/bootstrap-service").toString())));
  }
}

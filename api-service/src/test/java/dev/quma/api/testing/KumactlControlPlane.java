package dev.quma.api.testing;

import dev.quma.envoysim.XdsChannels;
import dev.quma.local.LocalPostgres;
import dev.quma.local.LocalRedis;
import dev.quma.testing.PackagedServices;
import io.grpc.ManagedChannel;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * What kumactl's Universal workflow reaches behind the api-service under test, each in its own
 * process as in production: a Redis and a PostgreSQL of the test's own, the packaged token-service
 * (which issues the tokens {@code POST /tokens/dataplane} forwards to it) and an xds-service
 * replica (so that a proxy holding such a token can connect, and its config be dumped).
 */
public class KumactlControlPlane implements QuarkusTestResourceLifecycleManager {
  private static LocalRedis redis;
  private static final String DATABASE =
      "quma_kumactl_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private static LocalPostgres postgres;
  private static int databasePort;
  private static PackagedServices services;
  private static int tokenServicePort;
  private static ManagedChannel xds;

  @Override
  public Map<String, String> start() {
    redis = LocalRedis.startEphemeral();
    // The machine's PostgreSQL when one answers (a database of this run's own), else a local one.
    int postgresPort = 5432;
    if (!LocalPostgres.answers("127.0.0.1", postgresPort)) {
      postgres = LocalPostgres.startEphemeral();
      postgresPort = postgres.port();
    }
    databasePort = postgresPort;
    LocalPostgres.createDatabaseIfAbsent("127.0.0.1", databasePort, DATABASE);
    String databaseUrl = "postgresql://127.0.0.1:" + databasePort + "/" + DATABASE;
    services = new PackagedServices(redis.url());
    PackagedServices.Started tokens =
        services.start(
            "token-service",
            "token-service",
            ports ->
                Map.of(
                    "QUMA_TOKEN_SERVICE_HTTP_PORT",
                    String.valueOf(ports.http()),
                    "QUMA_DATABASE_URL",
                    databaseUrl,
                    "QUMA_DATABASE_USERNAME",
                    "postgres",
                    "QUMA_DATABASE_PASSWORD",
                    ""));
    tokenServicePort = tokens.ports().http();
    Path tls = Path.of("target", "tls-kumactl-xds").toAbsolutePath();
    PackagedServices.Started replica =
        services.start(
            "xds-service",
            "xds-service",
            ports ->
                Map.of(
                    "QUMA_XDS_PORT", String.valueOf(ports.serving()),
                    "QUMA_XDS_HTTP_PORT", String.valueOf(ports.http()),
                    "QUMA_XDS_INSTANCE_ID", "xds-service",
                    "QUMA_TLS_DIR", tls.toString()));
    xds = XdsChannels.tls("localhost", replica.ports().serving(), tls.resolve("ca.crt"));
    services.closeWithServices(xds::shutdownNow);
    return Map.of(
        "quma.redis.url",
        redis.url(),
        "quma.api.token-service-url",
        "http://127.0.0.1:" + tokenServicePort);
  }

  /** The token-service's own address (its port 5683 in production). */
  public static String tokenServiceUrl() {
    return "http://127.0.0.1:" + tokenServicePort;
  }

  /** A gRPC channel to the xds-service replica, over TLS as Envoy's. */
  public static ManagedChannel xds() {
    return xds;
  }

  @Override
  public void stop() {
    if (services != null) {
      services.close();
    }
    try {
      LocalPostgres.dropDatabase("127.0.0.1", databasePort, DATABASE);
    } catch (RuntimeException e) {
      // the server is gone already
    }
    if (postgres != null) {
      postgres.close();
    }
    if (redis != null) {
      redis.close();
    }
  }
}

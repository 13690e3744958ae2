package dev.quma.bootstrap.testing;

import dev.quma.launcher.ServiceProcess;
import dev.quma.launcher.ServiceSpec;
import dev.quma.local.LocalRedis;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The packaged services as processes for the integration tests, each waited for until ready. */
public final class ServiceProcesses {
  public static final Path XDS_JAR = Path.of("../xds-service/target/quarkus-app/quarkus-run.jar");
  public static final Path BOOTSTRAP_JAR = Path.of("target/quarkus-app/quarkus-run.jar");

  private ServiceProcesses() {}

  /** Starts {@code jar} against {@code redis}; its management port is read from its environment. */
  public static ServiceProcess start(
      String name, Path jar, Map<String, String> environment, LocalRedis redis) {
    ServiceProcess process =
        ServiceProcess.start(
            new ServiceSpec(
                name,
                jar,
                Integer.parseInt(
                    environment.getOrDefault(
                        "QUMA_XDS_HTTP_PORT",
                        environment.getOrDefault("QUMA_BOOTSTRAP_MANAGEMENT_PORT", "0"))),
                name,
                environment),
            Path.of(System.getProperty("java.home")),
            Map.of("QUMA_REDIS_URL", redis.url()),
            List.of("-Xmx256m"),
            System.out);
    try {
      process.awaitReady(Duration.ofSeconds(90));
    } catch (RuntimeException | Error e) {
      process.close();
      throw e;
    }
    return process;
  }
}

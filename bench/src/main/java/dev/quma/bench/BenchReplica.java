package dev.quma.bench;

import dev.quma.envoysim.XdsChannels;
import dev.quma.launcher.ServiceProcess;
import dev.quma.launcher.ServiceSpec;
import dev.quma.local.LocalRedis;
import io.grpc.ManagedChannel;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One packaged xds-service replica started as a process for a benchmark: free ports, a TLS
 * directory of its own, {@code -Xmx2g} plus {@code -Dbench.xds.jvm="..."}, its output to {@code
 * -Dbench.xds.log=FILE} or nowhere. Ready when {@link #start} returns.
 */
final class BenchReplica implements AutoCloseable {
  private final ServiceProcess process;
  private final int grpcPort;
  private final int httpPort;
  private final Path tlsDir;

  private BenchReplica(ServiceProcess process, int grpcPort, int httpPort, Path tlsDir) {
    this.process = process;
    this.grpcPort = grpcPort;
    this.httpPort = httpPort;
    this.tlsDir = tlsDir;
  }

  /** Starts the replica on {@code redisUrl} with the benchmark's own settings on top. */
  static BenchReplica start(Path home, String redisUrl, Map<String, String> settings)
      throws IOException {
    Path tlsDir = Files.createTempDirectory("quma-bench-tls");
    int grpcPort = LocalRedis.freePort();
    int httpPort = LocalRedis.freePort();
    Map<String, String> environment = new HashMap<>(settings);
    environment.put("QUMA_XDS_PORT", String.valueOf(grpcPort));
    environment.put("QUMA_XDS_HTTP_PORT", String.valueOf(httpPort));
    environment.put("QUMA_XDS_DEBUG_ENDPOINTS", "true");
    environment.put("QUMA_XDS_INSTANCE_ID", "bench");
    environment.put("QUMA_TLS_DIR", tlsDir.toString());
    ServiceSpec spec =
        new ServiceSpec(
            "xds-service",
            home.resolve("xds-service/target/quarkus-app/quarkus-run.jar"),
            httpPort,
            "xDS",
            environment);
    ServiceProcess process =
        ServiceProcess.start(
            spec,
            Path.of(System.getProperty("java.home")),
            Map.of("QUMA_REDIS_URL", redisUrl),
            jvmOptions(),
            replicaLog());
    BenchReplica replica = new BenchReplica(process, grpcPort, httpPort, tlsDir);
    try {
      process.awaitReady(Duration.ofSeconds(60));
    } catch (RuntimeException e) {
      replica.close();
      throw e;
    }
    return replica;
  }

  /** The replica's HTTP base address (metrics, debug endpoints). */
  String base() {
    return "http://127.0.0.1:" + httpPort;
  }

  long pid() {
    return process.pid();
  }

  /** TLS channels to the replica's gRPC port, one per 50 proxies: how a fleet shares them. */
  List<ManagedChannel> channelsFor(int proxies) {
    List<ManagedChannel> channels = new ArrayList<>();
    for (int i = 0; i < Math.max(1, proxies / 50); i++) {
      channels.add(XdsChannels.tls("localhost", grpcPort, tlsDir.resolve("ca.crt")));
    }
    return channels;
  }

  @Override
  public void close() {
    process.close();
  }

  private static PrintStream replicaLog() {
    String file = System.getProperty("bench.xds.log");
    if (file == null) {
      return null;
    }
    try {
      return new PrintStream(new FileOutputStream(file), true, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> jvmOptions() {
    List<String> options = new ArrayList<>(List.of("-Xmx2g"));
    String extra = System.getProperty("bench.xds.jvm", "");
    if (!extra.isBlank()) {
      options.addAll(Arrays.asList(extra.trim().split("\\s+")));
    }
    return options;
  }
}

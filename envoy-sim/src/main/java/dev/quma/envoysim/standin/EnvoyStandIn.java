package dev.quma.envoysim.standin;

import dev.quma.envoysim.HdsClient;
import dev.quma.envoysim.SimulatedEnvoy;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A process that stands in for the {@code envoy} binary where there is none (no Linux Envoy can be
 * installed on these machines): started with Envoy's flags ({@code -c bootstrap.yaml}), it reads
 * the bootstrap, serves the admin endpoints an agent uses, and holds an ADS stream to the xDS
 * server the bootstrap names, as Envoy would (node on the first request only, token as the stream's
 * {@code authorization} metadata, ACKs and NACKs) and, when the bootstrap has {@code hds_config},
 * the Health Discovery Service stream with its checks and reports ({@link HdsClient}). SIGTERM ends
 * the streams cleanly and exits 0; a refusal by the control plane exits 1 with its message.
 */
public final class EnvoyStandIn {
  /** Envoy flags that take a value; the stand-in accepts and ignores all but the config path. */
  private static final Set<String> FLAGS_WITH_VALUE =
      Set.of(
          "--admin-address-path",
          "--drain-time-s",
          "--parent-shutdown-time-s",
          "--log-level",
          "-l",
          "--component-log-level",
          "--concurrency",
          "--base-id",
          "--service-cluster",
          "--service-node",
          "--config-yaml",
          "--drain-strategy",
          "--log-path",
          "--cpuset-threads");

  private EnvoyStandIn() {}

  public static void main(String[] args) throws Exception {
    Path config = null;
    Path adminAddressPath = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--version")) {
        System.out.println("envoy-standin  version: standin/1.31.2/Clean/RELEASE/none");
        return;
      }
      if (arg.equals("-c") || arg.equals("--config-path")) {
        config = Path.of(value(args, ++i, arg));
      } else if (arg.startsWith("--config-path=")) {
        config = Path.of(arg.substring("--config-path=".length()));
      } else if (arg.equals("--admin-address-path")) {
        adminAddressPath = Path.of(value(args, ++i, arg));
      } else if (FLAGS_WITH_VALUE.contains(arg)) {
        i++;
      }
    }
    if (config == null) {
      fail(1, "no bootstrap given: use -c <bootstrap file>");
    }
    BootstrapFile bootstrap;
    try {
      bootstrap = BootstrapFile.read(config);
    } catch (IOException | IllegalArgumentException e) {
      fail(1, "cannot use " + config + ": " + e.getMessage());
      return;
    }
    System.exit(new EnvoyStandIn().run(bootstrap, adminAddressPath));
  }

  private int run(BootstrapFile bootstrap, Path adminAddressPath) throws Exception {
    ManagedChannel channel = channel(bootstrap);
    SimulatedEnvoy envoy =
        SimulatedEnvoy.builder(bootstrap.node().getId())
            .node(bootstrap.node())
            .token(bootstrap.authorization())
            .mode(bootstrap.mode())
            .build();
    CountDownLatch quit = new CountDownLatch(1);
    AdminServer admin;
    try {
      admin =
          new AdminServer(
              bootstrap.adminAddress(),
              bootstrap.adminPort(),
              bootstrap.node().getId(),
              envoy::configured,
              quit::countDown);
    } catch (java.net.BindException e) {
      // Envoy's own words for a taken admin port: one line, exit 1.
      fail(
          1,
          "cannot bind '"
              + bootstrap.adminAddress()
              + ":"
              + bootstrap.adminPort()
              + "': Address already in use");
      return 1;
    }
    if (adminAddressPath != null) {
      Files.writeString(adminAddressPath, bootstrap.adminAddress() + ":" + admin.port());
    }
    log(
        "node "
            + bootstrap.node().getId()
            + ", admin on "
            + bootstrap.adminAddress()
            + ":"
            + admin.port()
            + ", ADS ("
            + bootstrap.mode()
            + ") at "
            + bootstrap.xdsHost()
            + ":"
            + bootstrap.xdsPort()
            + (bootstrap.tls() ? " over TLS" : " in plaintext"));
    envoy.onUpdate(
        type -> {
          if (envoy.configured()) {
            log(
                "configured: "
                    + envoy.clusters().size()
                    + " clusters, "
                    + envoy.listeners().size()
                    + " listeners");
          }
        });
    // Envoy exits 0 on SIGTERM; a JVM left to its default handler would exit 143.
    sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> quit.countDown());
    sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> quit.countDown());
    envoy.connect(channel);
    HdsClient health = null;
    if (bootstrap.hds()) {
      health = HdsClient.builder(bootstrap.node()).token(bootstrap.authorization()).build();
      health.onSpecifier(
          specifier ->
              log(
                  "health checks: "
                      + specifier.getClusterHealthChecksList().stream()
                          .map(c -> c.getClusterName())
                          .toList()
                      + ", reported every "
                      + com.google.protobuf.util.Durations.toString(specifier.getInterval())));
      health.connect(channel);
    }
    int exitCode = 0;
    while (!quit.await(200, TimeUnit.MILLISECONDS)) {
      Status closed = envoy.closedWith();
      if (closed != null) {
        log(
            "the control plane closed the stream: "
                + closed.getCode()
                + " "
                + closed.getDescription());
        exitCode = 1;
        break;
      }
    }
    if (health != null) {
      health.leave();
    }
    if (exitCode == 0) {
      log("stopping: closing the ADS stream");
      envoy.leave();
      envoy.await(Duration.ofSeconds(2), () -> envoy.closedWith() != null);
    }
    channel.shutdown().awaitTermination(2, TimeUnit.SECONDS);
    admin.close();
    return exitCode;
  }

  private static ManagedChannel channel(BootstrapFile bootstrap) throws IOException {
    NettyChannelBuilder builder =
        NettyChannelBuilder.forAddress(bootstrap.xdsHost(), bootstrap.xdsPort())
            .maxInboundMessageSize(64 << 20);
    if (!bootstrap.tls()) {
      return builder.usePlaintext().build();
    }
    builder.sslContext(
        GrpcSslContexts.forClient()
            .trustManager(
                new ByteArrayInputStream(bootstrap.trustedCaPem().getBytes(StandardCharsets.UTF_8)))
            .build());
    if (bootstrap.sni() != null && !bootstrap.sni().isBlank()) {
      builder.overrideAuthority(bootstrap.sni());
    }
    return builder.build();
  }

  private static String value(String[] args, int index, String flag) {
    if (index >= args.length) {
      fail(1, flag + " needs a value");
    }
    return args[index];
  }

  private static void log(String message) {
    System.out.println("[envoy-standin] " + message);
  }

  private static void fail(int code, String message) {
    System.err.println("envoy-standin: " + message);
    System.exit(code);
  }
}

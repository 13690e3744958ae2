package dev.quma.envoysim.standin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.testing.JavaProcesses;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A taken admin port ends the stand-in as it ends Envoy: one line and exit code 1. */
class TakenAdminPortTest {
  @TempDir Path dir;

  @Test
  void saysInOneLineThatTheAdminPortIsTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Path bootstrap = dir.resolve("bootstrap.yaml");
      Files.writeString(
          bootstrap,
          """
          node: {id: default.redis-1, cluster: redis}
          admin:
            address:
              socketAddress: {address: 127.0.0.1, portValue: %d}
          dynamicResources:
            adsConfig:
              apiType: GRPC
              transportApiVersion: V3
              grpcServices:
              - envoyGrpc: {clusterName: ads_cluster}
          staticResources:
            clusters:
            - name: ads_cluster
              type: STRICT_DNS
              loadAssignment:
                clusterName: ads_cluster
                endpoints:
                - lbEndpoints:
                  - endpoint:
                      address:
                        socketAddress: {address: 127.0.0.1, portValue: 1}
          """
              .formatted(taken.getLocalPort()));
      Process standIn =
          new ProcessBuilder(JavaProcesses.command(EnvoyStandIn.class, "-c", bootstrap.toString()))
              .redirectErrorStream(true)
              .start();
      assertThat(standIn.waitFor(30, TimeUnit.SECONDS)).isTrue();
      String output = new String(standIn.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(standIn.exitValue()).as(output).isEqualTo(1);
      assertThat(output)
          .contains("cannot bind '127.0.0.1:" + taken.getLocalPort() + "': Address already in use")
          .doesNotContain("Exception", "\tat ");
    }
  }
}

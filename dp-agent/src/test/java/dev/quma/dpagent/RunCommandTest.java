package dev.quma.dpagent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.dpagent.testing.FakeControlPlane;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run command against a stand-in control plane: retries, refusals, exit codes, files. */
class RunCommandTest {
  static final String BOOTSTRAP =
      "node:\n  id: default.redis-1\nadmin:\n  address:\n    socketAddress:\n"
          + "      address: 127.0.0.1\n      portValue: 9901\n";

  @TempDir Path dir;
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  int run(String... args) {
    return DpAgent.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  Path dataplaneFile() throws Exception {
    Path file = dir.resolve("dp.yaml");
    Files.writeString(
        file,
        "type: Dataplane\nmesh: default\nname: { { name } }\nnetworking:\n  address: { { address } }\n");
    return file;
  }

  @Test
  void retriesWhileTheControlPlaneFailsThenWritesTheBootstrap() throws Exception {
    try (FakeControlPlane cp =
        new FakeControlPlane(
            FakeControlPlane.error(503, "starting"), FakeControlPlane.bootstrap(BOOTSTRAP))) {
      Path token = dir.resolve("token");
      Files.writeString(token, "the-token\n");
      int code =
          run(
              "run",
              "--cp-address=" + cp.url(),
              "--dataplane-file=" + dataplaneFile(),
              "--dataplane-var",
              "name=redis-1",
              "--dataplane-var",
              "address=192.168.0.1",
              "--dataplane-token-file=" + token,
              "--config-dir=" + dir.resolve("config"),
              "--bootstrap-only");
      assertThat(code).as(err.toString()).isZero();
      assertThat(cp.requests()).hasSize(2);
      assertThat(cp.requests().get(1)).contains("\"dataplaneToken\":\"the-token\"");
      assertThat(err.toString()).contains("503").contains("retrying");
      assertThat(Files.readString(dir.resolve("config/bootstrap.yaml"))).isEqualTo(BOOTSTRAP);
      assertThat(out.toString()).contains("default.redis-1");
    }
  }

  @Test
  void aRefusedTokenStopsAtOnceWithItsOwnCode() throws Exception {
    try (FakeControlPlane cp =
        new FakeControlPlane(
            FakeControlPlane.error(403, "the dataplane token is for the proxy redis-1"))) {
      int code =
          run(
              "run",
              "--cp-address=" + cp.url(),
              "--dataplane-file=" + dataplaneFile(),
              "--dataplane-var=name=backend-1",
              "--dataplane-var=address=192.168.0.2",
              "--dataplane-token=t",
              "--bootstrap-only");
      assertThat(code).isEqualTo(ExitCodes.TOKEN_REFUSED);
      assertThat(cp.requests()).hasSize(1);
      assertThat(err.toString()).contains("403").contains("for the proxy redis-1");
    }
  }

  @Test
  void aMissingVariableIsReportedBeforeAnyRequest() throws Exception {
    try (FakeControlPlane cp = new FakeControlPlane(FakeControlPlane.bootstrap(BOOTSTRAP))) {
      int code =
          run(
              "run",
              "--cp-address=" + cp.url(),
              "--dataplane-file=" + dataplaneFile(),
              "--dataplane-var=name=backend-1",
              "--bootstrap-only");
      assertThat(code).isEqualTo(ExitCodes.BAD_VAR);
      assertThat(err.toString()).contains("\"address\"");
      assertThat(cp.requests()).isEmpty();
    }
  }

  @Test
  void anUnreadableFileHasItsOwnCode() {
    int code =
        run(
            "run",
            "--cp-address=http://127.0.0.1:1",
            "--dataplane-file=" + dir.resolve("missing.yaml"),
            "--bootstrap-only");
    assertThat(code).isEqualTo(ExitCodes.BAD_FILE);
    assertThat(err.toString()).contains("missing.yaml").contains("no such file");
  }

  @Test
  void anUnreachableControlPlaneIsGivenUpAfterTheTimeout() throws Exception {
    int code =
        run(
            "run",
            "--cp-address=http://127.0.0.1:1",
            "--dataplane-file=" + dataplaneFile(),
            "--dataplane-var=name=a",
            "--dataplane-var=address=10.0.0.1",
            "--bootstrap-timeout=1s",
            "--bootstrap-only");
    assertThat(code).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(err.toString()).contains("cannot reach the control plane");
  }

  @Test
  void withoutEnvoyPlainRunSaysSo() throws Exception {
    int code =
        run(
            "run",
            "--cp-address=http://127.0.0.1:1",
            "--dataplane-file=" + dataplaneFile(),
            "--binary-path=" + dir.resolve("no-envoy"));
    assertThat(code).isEqualTo(ExitCodes.ENVOY_MISSING);
    assertThat(err.toString()).contains("Envoy is missing").contains("--bootstrap-only");
  }

  @Test
  void helpDescribesEveryOption() {
    assertThat(run("run", "--help")).isZero();
    assertThat(out.toString())
        .contains(
            "--cp-address", "--dataplane-var", "--ca-cert-file", "--drain-time", "Exit codes");
  }
}

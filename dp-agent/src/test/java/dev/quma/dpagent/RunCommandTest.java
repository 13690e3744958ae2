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
            "--dataplane-var=name=a",
            "--dataplane-var=address=10.0.0.1",
            "--binary-path=" + dir.resolve("no-envoy"));
    assertThat(code).isEqualTo(ExitCodes.ENVOY_MISSING);
    assertThat(err.toString()).contains("Envoy is missing").contains("--bootstrap-only");
  }

  @Test
  void aMissingDataplaneFileIsReportedBeforeAMissingEnvoy() {
    int code =
        run(
            "run",
            "--cp-address=http://127.0.0.1:1",
            "--dataplane-file=" + dir.resolve("missing.yaml"),
            "--binary-path=" + dir.resolve("no-envoy"));
    assertThat(code).isEqualTo(ExitCodes.BAD_FILE);
    assertThat(err.toString()).contains("missing.yaml").doesNotContain("Envoy is missing");
  }

  @Test
  void aMissingCaFileIsReportedBeforeAMissingEnvoy() throws Exception {
    int code =
        run(
            "run",
            "--cp-address=https://127.0.0.1:1",
            "--dataplane-file=" + dataplaneFile(),
            "--dataplane-var=name=a",
            "--dataplane-var=address=10.0.0.1",
            "--ca-cert-file=" + dir.resolve("no-ca.crt"),
            "--binary-path=" + dir.resolve("no-envoy"));
    assertThat(code).isEqualTo(ExitCodes.BAD_FILE);
    assertThat(err.toString()).contains("--ca-cert-file").doesNotContain("Envoy is missing");
  }

  @Test
  void aRefusedConnectionIsSaidInPlainWords() throws Exception {
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
    assertThat(err.toString())
        .contains("connection refused at 127.0.0.1:1")
        .doesNotContain("Exception");
  }

  @Test
  void anUntrustedCertificateStopsAtOnceNamingTheFlag() throws Exception {
    try (FakeControlPlane cp = FakeControlPlane.https(dir, FakeControlPlane.bootstrap(BOOTSTRAP))) {
      int code = runBootstrapOnly(cp);
      assertThat(code).isEqualTo(ExitCodes.TLS_UNTRUSTED);
      assertThat(err.toString())
          .contains("is not trusted", "--ca-cert-file .quma/tls/bootstrap-service/ca.crt")
          .doesNotContain("PKIX", "Exception", "retrying");
      assertThat(cp.requests()).isEmpty();
    }
  }

  @Test
  void aCaFileOfAnotherCaIsNamedInTheRefusal() throws Exception {
    Path other = dir.resolve("other.crt");
    FakeControlPlane.otherCertificate(dir, other);
    try (FakeControlPlane cp = FakeControlPlane.https(dir, FakeControlPlane.bootstrap(BOOTSTRAP))) {
      int code = runBootstrapOnly(cp, "--ca-cert-file=" + other);
      assertThat(code).isEqualTo(ExitCodes.TLS_UNTRUSTED);
      assertThat(err.toString())
          .contains("not signed by the CA in --ca-cert-file " + other)
          .doesNotContain("PKIX", "Exception");
    }
  }

  @Test
  void theRightCaFileIsTrusted() throws Exception {
    try (FakeControlPlane cp = FakeControlPlane.https(dir, FakeControlPlane.bootstrap(BOOTSTRAP))) {
      int code = runBootstrapOnly(cp, "--ca-cert-file=" + dir.resolve("server.crt"));
      assertThat(code).as(err.toString()).isZero();
      assertThat(cp.requests()).hasSize(1);
    }
  }

  private int runBootstrapOnly(FakeControlPlane cp, String... more) throws Exception {
    java.util.List<String> args =
        new java.util.ArrayList<>(
            java.util.List.of(
                "run",
                "--cp-address=" + cp.url(),
                "--dataplane-file=" + dataplaneFile(),
                "--dataplane-var=name=a",
                "--dataplane-var=address=10.0.0.1",
                "--config-dir=" + dir.resolve("config"),
                "--bootstrap-timeout=20s",
                "--bootstrap-only"));
    args.addAll(java.util.List.of(more));
    return run(args.toArray(String[]::new));
  }

  @Test
  void helpDescribesEveryOption() {
    assertThat(run("run", "--help")).isZero();
    assertThat(out.toString())
        .contains(
            "--cp-address", "--dataplane-var", "--ca-cert-file", "--drain-time", "Exit codes");
  }
}

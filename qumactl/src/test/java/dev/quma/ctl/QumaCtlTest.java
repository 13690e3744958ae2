package dev.quma.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Usage and failures; issuing for real is tested against a real token-service there. */
class QumaCtlTest {

  private record Run(int exitCode, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = QumaCtl.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void buildsKumasRequestFromKumactlsFlags() {
    GenerateDataplaneTokenCommand command = new GenerateDataplaneTokenCommand();
    new CommandLine(command)
        .parseArgs(
            "--name=redis-1",
            "--mesh=default",
            "--tag=kuma.io/service=redis",
            "--tag",
            "version=v1,v2",
            "--tag=version=v3",
            "--valid-for=24h");

    assertThat(command.request())
        .containsExactly(
            Map.entry("name", "redis-1"),
            Map.entry("mesh", "default"),
            Map.entry(
                "tags",
                Map.of("kuma.io/service", List.of("redis"), "version", List.of("v1", "v2", "v3"))),
            Map.entry("type", ""),
            Map.entry("validFor", "24h"));
  }

  @Test
  void validForIsRequiredAsInKumactl() {
    Run run = run("generate", "dataplane-token", "--name", "redis-1");
    assertThat(run.exitCode()).isEqualTo(QumaCtl.USAGE);
    assertThat(run.err()).contains("Missing required option: '--valid-for=<validFor>'");
  }

  @Test
  void aMalformedTagIsAUsageError() {
    Run run = run("generate", "dataplane-token", "--tag", "kuma.io/service", "--valid-for", "1h");
    assertThat(run.exitCode()).isEqualTo(QumaCtl.USAGE);
    assertThat(run.err()).contains("--tag must be key=value, got \"kuma.io/service\"");
  }

  @Test
  void anUnreachableControlPlaneSaysWhereItLooked() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Run run =
        run(
            "generate",
            "dataplane-token",
            "--valid-for",
            "1h",
            "--cp-address",
            "http://127.0.0.1:" + closedPort);
    assertThat(run.exitCode()).isEqualTo(QumaCtl.UNREACHABLE);
    assertThat(run.err())
        .contains("could not reach the token-service at http://127.0.0.1:" + closedPort);
    assertThat(run.out()).isEmpty();
  }

  @Test
  void aMissingTokenFileIsReported() {
    Run run =
        run(
            "generate",
            "dataplane-token",
            "--valid-for",
            "1h",
            "--token-file",
            "/nonexistent/admin-token");
    assertThat(run.exitCode()).isEqualTo(QumaCtl.UNREACHABLE);
    assertThat(run.err()).contains("could not read the token file /nonexistent/admin-token");
  }

  @Test
  void helpDescribesTheCommand() {
    Run run = run("generate", "dataplane-token", "--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("--valid-for").contains("--cp-address").contains("Example:");
  }
}

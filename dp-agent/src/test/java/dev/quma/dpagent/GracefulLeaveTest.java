package dev.quma.dpagent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.dpagent.testing.FakeControlPlane;
import dev.quma.dpagent.testing.StandInEnvoy;
import dev.quma.testing.JavaProcesses;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent as a real process running a stand-in Envoy (a real child process too): SIGTERM turns
 * its readiness reporter to 503 at once, then drains Envoy's listeners through the admin port,
 * waits the drain time, stops Envoy and exits 0.
 */
class GracefulLeaveTest {
  @TempDir Path dir;

  @Test
  void sigtermDrainsWaitsStopsAndExitsZero() throws Exception {
    int adminPort = freePort();
    int readinessPort = freePort();
    String bootstrap =
        "admin:\n  address:\n    socketAddress:\n      address: 127.0.0.1\n      portValue: "
            + adminPort
            + "\n";
    Path log = dir.resolve("envoy.log");
    Path envoy = JavaProcesses.script(dir, "envoy", StandInEnvoy.class);
    Path dataplane = dir.resolve("dp.yaml");
    Files.writeString(
        dataplane,
        "type: Dataplane\nmesh: default\nname: {{name}}\nnetworking: {address: 10.0.0.1}\n");

    try (FakeControlPlane cp = new FakeControlPlane(FakeControlPlane.bootstrap(bootstrap))) {
      ProcessBuilder builder =
          new ProcessBuilder(
              JavaProcesses.command(
                  DpAgent.class,
                  "run",
                  "--cp-address=" + cp.url(),
                  "--dataplane-file=" + dataplane,
                  "--dataplane-var=name=web-1",
                  "--dataplane-token=t",
                  "--config-dir=" + dir.resolve("config"),
                  "--binary-path=" + envoy,
                  "--readiness-port=" + readinessPort,
                  "--drain-time=1500ms"));
      builder.environment().put("STANDIN_LOG", log.toString());
      builder.redirectErrorStream(true).redirectOutput(dir.resolve("agent.out").toFile());
      Process agent = builder.start();
      try {
        await(() -> Files.exists(log) && Files.readString(log).contains("started"), agent);
        assertThat(Files.readString(log))
            .contains("--config-path " + dir.resolve("config/bootstrap.yaml"));

        // The reporter asks Envoy's admin on its own interval: ready once it has seen it live.
        await(() -> readiness(readinessPort).equals("200 READY"), agent);
        assertThat(readiness(readinessPort)).as("while Envoy is live").isEqualTo("200 READY");

        long signalled = System.nanoTime();
        agent.destroy(); // SIGTERM
        await(() -> readiness(readinessPort).startsWith("503"), agent);
        assertThat(readiness(readinessPort)).as("draining").isEqualTo("503 DRAINING");
        assertThat(Files.readString(log)).as("Envoy is still running").doesNotContain("terminated");
        assertThat(agent.waitFor(30, TimeUnit.SECONDS)).as(output()).isTrue();
        Duration took = Duration.ofNanos(System.nanoTime() - signalled);

        assertThat(agent.exitValue()).as(output()).isZero();
        List<String> events = Files.readAllLines(log);
        assertThat(events).as(output()).contains("POST drain_listeners?graceful", "terminated");
        assertThat(events.indexOf("POST drain_listeners?graceful"))
            .isLessThan(events.indexOf("terminated"));
        assertThat(took)
            .as("the drain time was waited")
            .isGreaterThanOrEqualTo(Duration.ofMillis(1500));
        assertThat(output()).contains("leaving the mesh gracefully", "Envoy stopped");
      } finally {
        agent.destroyForcibly();
      }
    }
  }

  @Test
  void aReadinessPortThatIsEnvoysAdminPortIsOneClearError() throws Exception {
    int port = freePort();
    Path dataplane = dir.resolve("dp.yaml");
    Files.writeString(
        dataplane,
        "type: Dataplane\nmesh: default\nname: web-1\nnetworking: {address: 10.0.0.1}\n");
    java.io.StringWriter err = new java.io.StringWriter();
    int code =
        DpAgent.run(
            new java.io.PrintWriter(new java.io.StringWriter()),
            new java.io.PrintWriter(err, true),
            "run",
            "--cp-address=http://127.0.0.1:1",
            "--dataplane-file=" + dataplane,
            "--dataplane-token=t",
            "--binary-path=" + JavaProcesses.script(dir, "envoy", StandInEnvoy.class),
            "--admin-port=" + port,
            "--readiness-port=" + port);

    assertThat(code).isEqualTo(ExitCodes.READINESS_PORT_IN_USE);
    assertThat(err.toString().strip())
        .isEqualTo(
            "dp-agent: Envoy's admin port "
                + port
                + " is also the readiness reporter's port: pass another --admin-port, or move the"
                + " reporter with --readiness-port (KUMA_READINESS_PORT; 0 turns it off)");
  }

  private static String readiness(int port) throws Exception {
    try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
      var response =
          http.send(
              java.net.http.HttpRequest.newBuilder(
                      java.net.URI.create("http://127.0.0.1:" + port + "/ready"))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
      return response.statusCode() + " " + response.body().strip();
    } catch (java.io.IOException e) {
      return "unreachable";
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private String output() throws Exception {
    Path out = dir.resolve("agent.out");
    return Files.exists(out) ? Files.readString(out) : "";
  }

  private void await(java.util.concurrent.Callable<Boolean> condition, Process agent)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.call()) {
        return;
      }
      if (!agent.isAlive()) {
        throw new AssertionError("the agent exited with " + agent.exitValue() + ": " + output());
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the stand-in Envoy did not start: " + output());
  }
}

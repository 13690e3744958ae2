package dev.quma.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Kuma's Universal walkthrough against the running control plane, with this project's own tools: a
 * token per dataplane from the token-service, {@code redis-1} from a plain dataplane file and
 * {@code backend-1} from the walkthrough's Mustache template with {@code --dataplane-var}s, each
 * joined by {@code bin/dp-agent} running {@code bin/envoy-standin} in Envoy's place (no Linux Envoy
 * can be installed here; with one on the PATH, pass it instead). The API must show both online;
 * then {@code backend-1}'s agent gets SIGTERM, drains and leaves, and the API must show it gone.
 * {@code redis-1} stays connected afterwards, for the GUI and for curl.
 */
final class Demo {
  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration LEAVE_TIMEOUT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String REDIS_DATAPLANE =
      """
      type: Dataplane
      mesh: default
      name: redis-1
      networking:
        address: 192.168.0.1
        inbound:
        - port: 9000
          servicePort: 6379
          tags:
            kuma.io/service: redis
      """;

  /** The walkthrough's template, with the spaced braces of Kuma's documentation. */
  private static final String BACKEND_TEMPLATE =
      """
      type: Dataplane
      mesh: default
      name: { { name } }
      networking:
        address: { { address } }
        inbound:
        - port: 8000
          servicePort: 80
          tags:
            kuma.io/service: backend
            kuma.io/protocol: http
        outbound:
        - port: 10000
          tags:
            kuma.io/service: redis
      """;

  private final Path home;
  private final Path dir;
  private final Path caCertificate;
  private final PrintStream out;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Process> agents = new ArrayList<>();

  Demo(Path home, Path caCertificate, PrintStream out) {
    this.home = home;
    this.dir = home.resolve(".quma/demo");
    this.caCertificate = caCertificate;
    this.out = out;
  }

  /**
   * Runs the walkthrough; throws with what went wrong (every agent stopped). Returns what stops the
   * agent left running.
   */
  AutoCloseable run() throws IOException, InterruptedException {
    try {
      return walkthrough();
    } catch (IOException | InterruptedException | RuntimeException e) {
      for (Process agent : agents) {
        stop(agent);
      }
      throw e;
    }
  }

  private AutoCloseable walkthrough() throws IOException, InterruptedException {
    long start = System.nanoTime();
    Files.createDirectories(dir);
    Path redisFile = write("redis-1-dp.yaml", REDIS_DATAPLANE);
    Path backendFile = write("backend-dp-tmpl.yaml", BACKEND_TEMPLATE);

    step("1. dataplane tokens from the token-service (POST localhost:5683/tokens/dataplane)");
    Path redisToken = write("redis-1-token", token("redis-1", "redis"));
    Path backendToken = write("backend-1-token", token("backend-1", "backend"));

    step("2. both dataplanes join through bin/dp-agent, Envoy played by bin/envoy-standin");
    Process redis =
        agent(
            "redis-1",
            List.of("--dataplane-file", redisFile.toString()),
            redisToken,
            AdminPorts.REDIS);
    Process backend =
        agent(
            "backend-1",
            List.of(
                "--dataplane-file",
                backendFile.toString(),
                "--dataplane-var",
                "name=backend-1",
                "--dataplane-var",
                "address=192.168.0.2"),
            backendToken,
            AdminPorts.BACKEND);

    step("3. the API lists them Online (GET localhost:5681/meshes/default/dataplanes/_overview)");
    Map<String, Boolean> online =
        awaitOverview(
            JOIN_TIMEOUT,
            seen ->
                Boolean.TRUE.equals(seen.get("redis-1"))
                    && Boolean.TRUE.equals(seen.get("backend-1")));
    online.forEach((name, on) -> out.printf("     %-10s %s%n", name, on ? "Online" : "Offline"));

    step("4. backend-1 leaves: SIGTERM to its agent, which drains Envoy and stops it");
    long leaveStart = System.nanoTime();
    backend.destroy();
    if (!backend.waitFor(60, TimeUnit.SECONDS)) {
      throw new IllegalStateException("backend-1's agent did not stop within 60 s of SIGTERM");
    }
    out.println("     backend-1's agent exited with " + backend.exitValue());
    if (backend.exitValue() != 0) {
      throw new IllegalStateException(
          "backend-1's agent exited with " + backend.exitValue() + ": see " + log("backend-1"));
    }

    step("5. the API shows it gone (a Direct dataplane is deleted when its proxy leaves)");
    awaitOverview(LEAVE_TIMEOUT, seen -> !seen.containsKey("backend-1"))
        .forEach((name, on) -> out.printf("     %-10s %s%n", name, on ? "Online" : "Offline"));
    out.printf(
        "     gone %.1f s after SIGTERM (drain time plus the xDS tier's deregistration delay)%n",
        (System.nanoTime() - leaveStart) / 1e9);
    out.printf(
        "%nDemo passed in %.1f s. redis-1 stays connected; its files and logs are in %s%n",
        (System.nanoTime() - start) / 1e9, home.relativize(dir));
    return () -> stop(redis);
  }

  /**
   * Admin ports of the two Envoys, which share this machine; each agent's readiness reporter takes
   * the port after its Envoy's (redis-1's the default, 9902).
   */
  private static final class AdminPorts {
    static final int REDIS = 9901;
    static final int BACKEND = 9903;
  }

  private Process agent(String name, List<String> dataplaneArgs, Path token, int adminPort)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(home.resolve("bin/dp-agent").toString());
    command.add("run");
    command.add("--cp-address=https://127.0.0.1:5682");
    command.addAll(dataplaneArgs);
    command.add("--dataplane-token-file=" + token);
    command.add("--ca-cert-file=" + caCertificate);
    command.add("--binary-path=" + home.resolve("bin/envoy-standin"));
    command.add("--config-dir=" + dir.resolve(name));
    command.add("--admin-port=" + adminPort);
    command.add("--readiness-port=" + (adminPort + 1));
    command.add("--drain-time=2s");
    out.println("     " + String.join(" ", command.subList(1, command.size())));
    Process process =
        new ProcessBuilder(command)
            .directory(home.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log(name).toFile())
            .start();
    agents.add(process);
    return process;
  }

  private String token(String name, String service) throws IOException, InterruptedException {
    String body =
        JSON.writeValueAsString(
            Map.of(
                "mesh",
                "default",
                "name",
                name,
                "tags",
                Map.of("kuma.io/service", List.of(service)),
                "validFor",
                "24h"));
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://localhost:5683/tokens/dataplane"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "token-service refused a token for " + name + ": " + response.body());
    }
    out.println("     a token for " + name + " (kuma.io/service=" + service + ")");
    return response.body().strip();
  }

  /** Polls the overview until {@code done} holds for name -> online of the default mesh. */
  private Map<String, Boolean> awaitOverview(Duration timeout, Predicate<Map<String, Boolean>> done)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, Boolean> seen = Map.of();
    while (System.nanoTime() < deadline) {
      seen = overview();
      if (done.test(seen)) {
        return seen;
      }
      for (Process agent : agents) {
        if (!agent.isAlive() && agent.exitValue() != 0) {
          throw new IllegalStateException(
              "an agent exited with " + agent.exitValue() + ": see the logs in " + dir);
        }
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(
        "timed out after "
            + timeout.toSeconds()
            + " s; the API shows "
            + seen
            + "; logs in "
            + dir);
  }

  private Map<String, Boolean> overview() throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://localhost:5681/meshes/default/dataplanes/_overview?size=100"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Map<String, Boolean> online = new TreeMap<>();
    for (JsonNode item : JSON.readTree(response.body()).path("items")) {
      boolean open = false;
      for (JsonNode subscription : item.path("dataplaneInsight").path("subscriptions")) {
        open |=
            subscription.hasNonNull("connectTime") && !subscription.hasNonNull("disconnectTime");
      }
      online.put(item.path("name").asText(), open);
    }
    return online;
  }

  private Path write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  private Path log(String name) {
    return dir.resolve(name + ".log");
  }

  private void step(String text) {
    out.println();
    out.println("demo: " + text);
  }

  private static void stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}

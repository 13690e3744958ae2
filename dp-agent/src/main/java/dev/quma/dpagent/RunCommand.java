package dev.quma.dpagent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dp-agent run}: the Universal way to join the mesh, as {@code kuma-dp run} does it. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Renders the dataplane file, fetches the Envoy bootstrap from bootstrap-service with the"
          + " dataplane token, writes it to the config dir and runs Envoy; on SIGTERM drains Envoy's"
          + " listeners, waits the drain time and stops it.",
      "Direct mode: --dataplane-file (a Mustache template: {{name}} or { { name } }) with"
          + " --dataplane-var values. Indirect mode: --mesh and --name of a dataplane created"
          + " through the API.",
      "Exit codes: 0 done, 1 refused, 2 usage, 3 unreadable file, 4 bad or missing variable,"
          + " 5 token refused, 6 invalid resource, 7 control plane unreachable, 8 no Envoy,"
          + " 9 Envoy failed, 10 the control plane's certificate is not trusted, 11 the"
          + " readiness port is in use."
    })
public final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--cp-address",
      required = true,
      description = "bootstrap-service's URL, e.g. https://cp.example:5682")
  String cpAddress;

  @Option(
      names = "--dataplane-file",
      description = "the Dataplane resource (YAML or JSON template)")
  Path dataplaneFile;

  @Option(
      names = "--dataplane-var",
      paramLabel = "KEY=VALUE",
      description = "a value for the dataplane file's template (repeatable)")
  List<String> dataplaneVars = new ArrayList<>();

  @Option(names = "--dataplane-token-file", description = "file holding the dataplane token")
  Path tokenFile;

  @Option(names = "--dataplane-token", description = "the dataplane token itself")
  String token;

  @Option(
      names = "--ca-cert-file",
      description = "PEM CA to trust for the control plane's certificate (default: the system's)")
  Path caCertFile;

  @Option(names = "--mesh", description = "the dataplane's mesh (Indirect mode, or a check)")
  String mesh;

  @Option(names = "--name", description = "the dataplane's name (Indirect mode, or a check)")
  String name;

  @Option(
      names = "--admin-port",
      description =
          "Envoy's admin port when the dataplane names none (default: the control plane's, 9901)")
  Integer adminPort;

  @Option(
      names = "--readiness-port",
      defaultValue = "${env:KUMA_READINESS_PORT:-9902}",
      description =
          "the readiness reporter's port on 127.0.0.1 (200 READY while Envoy is live, 503 while"
              + " draining; KUMA_READINESS_PORT; 0 turns it off; default: ${DEFAULT-VALUE})")
  int readinessPort;

  @Option(names = "--binary-path", description = "the Envoy binary (default: envoy on the PATH)")
  Path binaryPath;

  @Option(
      names = "--config-dir",
      description =
          "where the bootstrap is written (default: a directory per dataplane under the"
              + " system's temporary directory)")
  Path configDir;

  @Option(
      names = "--bootstrap-only",
      description = "write the bootstrap and exit, without running Envoy")
  boolean bootstrapOnly;

  @Option(
      names = "--drain-time",
      defaultValue = "30s",
      converter = GoDurations.class,
      description =
          "how long Envoy drains on SIGTERM before it is stopped (default: ${DEFAULT-VALUE})")
  Duration drainTime;

  @Option(
      names = "--bootstrap-timeout",
      defaultValue = "5m",
      converter = GoDurations.class,
      description =
          "how long to keep retrying while the control plane cannot be reached (default:"
              + " ${DEFAULT-VALUE})")
  Duration bootstrapTimeout;

  /** Set by SIGTERM; the main thread then leaves gracefully. */
  private final AtomicBoolean leaving = new AtomicBoolean();

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    boolean indirect = dataplaneFile == null;
    if (indirect && (mesh == null || name == null)) {
      throw new AgentException(
          ExitCodes.USAGE,
          "pass --dataplane-file (Direct mode), or --mesh and --name of an existing dataplane"
              + " (Indirect mode)");
    }
    BootstrapRequestBuilder request = new BootstrapRequestBuilder();
    if (!indirect) {
      String rendered =
          DataplaneTemplate.render(
              read(dataplaneFile, "--dataplane-file"), DataplaneVars.parse(dataplaneVars));
      request.dataplane(rendered);
      checkNames(request);
    }
    if (readinessPort < 0 || readinessPort > 65535) {
      throw new AgentException(
          ExitCodes.USAGE, "--readiness-port must be 0 (off) or a port, 1 to 65535");
    }
    if (!bootstrapOnly && adminPort != null && adminPort == readinessPort) {
      throw new AgentException(ExitCodes.READINESS_PORT_IN_USE, samePorts(readinessPort));
    }
    request
        .names(mesh, name)
        .token(token())
        .adminPort(adminPort)
        .readinessPort(bootstrapOnly ? 0 : readinessPort);
    BootstrapClient controlPlane = new BootstrapClient(cpAddress, caCertFile, err);
    // Every input is checked before Envoy is looked for: a missing Envoy must not hide a bad file.
    Optional<Path> envoy = EnvoyBinary.find(binaryPath, System.getenv("PATH"));
    if (!bootstrapOnly && envoy.isEmpty()) {
      throw new AgentException(
          ExitCodes.ENVOY_MISSING,
          (binaryPath != null
                  ? "Envoy is missing: --binary-path " + binaryPath + " is not an executable file"
                  : "Envoy is missing: no \"envoy\" on the PATH")
              + "; install Envoy, point --binary-path at it, or pass --bootstrap-only to only"
              + " write the bootstrap");
    }

    String bootstrap = controlPlane.fetch(request.toJson(), indirect, bootstrapTimeout);
    Path file = write(bootstrap, request.mesh(), request.name());
    out.println(
        "dp-agent: wrote the Envoy bootstrap of "
            + request.mesh()
            + "."
            + request.name()
            + " to "
            + file);
    if (bootstrapOnly) {
      return ExitCodes.OK;
    }
    int envoyAdminPort = adminPortOf(bootstrap);
    if (envoyAdminPort == readinessPort) {
      throw new AgentException(ExitCodes.READINESS_PORT_IN_USE, samePorts(readinessPort));
    }
    try (ReadinessReporter readiness =
        readinessPort == 0 ? null : ReadinessReporter.start(readinessPort, envoyAdminPort)) {
      if (readiness != null) {
        out.println(
            "dp-agent: readiness reporter on "
                + ReadinessReporter.ADDRESS
                + ":"
                + readiness.port());
      }
      return runEnvoy(envoy.orElseThrow(), file, envoyAdminPort, readiness, err);
    }
  }

  private int runEnvoy(
      Path binary, Path bootstrap, int envoyAdminPort, ReadinessReporter readiness, PrintWriter log)
      throws InterruptedException {
    AtomicReference<String> signalled = new AtomicReference<>("SIGTERM");
    Signals.onTerminate(
        signal -> {
          signalled.set(signal);
          // Unready first: Envoy's health check of the reporter (HDS) takes the proxy out of its
          // consumers' endpoints while it drains.
          if (readiness != null) {
            readiness.draining();
          }
          leaving.set(true);
        });
    EnvoyProcess envoy = EnvoyProcess.start(binary, bootstrap, envoyAdminPort, drainTime, log);
    while (true) {
      Integer exit = envoy.waitFor(Duration.ofMillis(100));
      if (leaving.get()) {
        log.println("dp-agent: " + signalled.get() + ": leaving the mesh gracefully");
        envoy.leave(drainTime);
        return ExitCodes.OK;
      }
      if (exit != null) {
        throw new AgentException(
            ExitCodes.ENVOY_FAILED, "Envoy exited by itself with code " + exit);
      }
    }
  }

  private static String samePorts(int port) {
    return "Envoy's admin port "
        + port
        + " is also the readiness reporter's port: pass another --admin-port, or move the reporter"
        + " with --readiness-port (KUMA_READINESS_PORT; 0 turns it off)";
  }

  /** In Direct mode, --mesh and --name, when given, must agree with the file. */
  private void checkNames(BootstrapRequestBuilder request) {
    if (mesh != null && !mesh.equals(request.mesh())) {
      throw new AgentException(
          ExitCodes.BAD_RESOURCE,
          "--mesh " + mesh + " differs from the dataplane file's mesh \"" + request.mesh() + "\"");
    }
    if (name != null && !name.equals(request.name())) {
      throw new AgentException(
          ExitCodes.BAD_RESOURCE,
          "--name " + name + " differs from the dataplane file's name \"" + request.name() + "\"");
    }
  }

  private String token() {
    if (token != null) {
      return token.strip();
    }
    return tokenFile == null ? null : read(tokenFile, "--dataplane-token-file").strip();
  }

  private Path write(String bootstrap, String mesh, String name) {
    Path dir =
        configDir != null
            ? configDir
            : Path.of(System.getProperty("java.io.tmpdir"), "quma-dp", mesh + "." + name);
    Path file = dir.resolve("bootstrap.yaml");
    try {
      Files.createDirectories(dir);
      // It carries the dataplane token: readable by this user only.
      Files.deleteIfExists(file);
      try {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(file);
      }
      Files.writeString(file, bootstrap, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new AgentException(
          ExitCodes.BAD_FILE, "cannot write the bootstrap to " + file + ": " + e.getMessage());
    }
  }

  static int adminPortOf(String bootstrapYaml) {
    try {
      JsonNode port =
          new YAMLMapper().readTree(bootstrapYaml).at("/admin/address/socketAddress/portValue");
      if (port.canConvertToInt() || port.isTextual()) {
        return Integer.parseInt(port.asText());
      }
    } catch (IOException | NumberFormatException e) {
      // reported below
    }
    throw new AgentException(
        ExitCodes.REFUSED, "the bootstrap from the control plane names no Envoy admin port");
  }

  private static String read(Path file, String option) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AgentException(
          ExitCodes.BAD_FILE,
          "cannot read "
              + option
              + " "
              + file
              + ": "
              + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()));
    }
  }
}

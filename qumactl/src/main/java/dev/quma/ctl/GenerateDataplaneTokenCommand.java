package dev.quma.ctl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code qumactl generate dataplane-token}, as kumactl's: asks the token-service for a token and
 * prints it (nothing else) on standard output, so it can be redirected to the proxy's token file.
 */
@Command(
    name = "dataplane-token",
    mixinStandardHelpOptions = true,
    description = "Generate a dataplane token (printed on standard output).",
    footer = {
      "",
      "Example:",
      "  qumactl generate dataplane-token --mesh default --name redis-1 \\",
      "    --tag kuma.io/service=redis --valid-for 24h > /tmp/kuma-dp-redis-1-token"
    })
final class GenerateDataplaneTokenCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--name",
      description = "the proxy's name the token is bound to (empty: any proxy of the mesh)")
  String name;

  @Option(
      names = {"-m", "--mesh"},
      defaultValue = "default",
      description = "the mesh (default: ${DEFAULT-VALUE})")
  String mesh;

  @Option(
      names = "--tag",
      paramLabel = "KEY=VALUE[,VALUE]",
      description =
          "a tag every inbound of the proxy must carry, with one of the values (repeatable)")
  List<String> tags = new ArrayList<>();

  @Option(names = "--type", description = "the proxy type: dataplane, ingress or egress")
  String type;

  @Option(
      names = "--valid-for",
      required = true,
      description = "how long the token is valid, a Go duration (e.g. 24h, 30m)")
  String validFor;

  @Option(names = "--workload", description = "the workload identity the token carries")
  String workload;

  @Option(
      names = "--cp-address",
      defaultValue = "${env:QUMA_TOKEN_SERVICE_ADDRESS:-http://localhost:5683}",
      description = "the token-service (default: ${DEFAULT-VALUE})")
  String address;

  @Option(
      names = "--token-file",
      description = "a file holding an admin user token (not needed from the control plane's host)")
  Path tokenFile;

  @Option(
      names = "--timeout",
      defaultValue = "30s",
      description = "how long to wait for the token-service (default: ${DEFAULT-VALUE})")
  String timeout;

  @Override
  public Integer call() {
    Map<String, Object> request = request();
    TokenServiceClient client = new TokenServiceClient(address, adminToken(), timeoutDuration());
    String token = client.issueDataplaneToken(request);
    spec.commandLine().getOut().print(token);
    spec.commandLine().getOut().flush();
    return 0;
  }

  /** The body Kuma's {@code POST /tokens/dataplane} takes. */
  Map<String, Object> request() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name == null ? "" : name);
    body.put("mesh", mesh);
    body.put("tags", Tags.parse(tags, this::usage));
    body.put("type", type == null ? "" : type);
    body.put("validFor", validFor);
    if (workload != null) {
      body.put("workload", workload);
    }
    return body;
  }

  private String adminToken() {
    if (tokenFile == null) {
      return null;
    }
    try {
      String token = Files.readString(tokenFile, StandardCharsets.UTF_8).trim();
      if (token.isEmpty()) {
        throw new CliException(QumaCtl.UNREACHABLE, "the token file " + tokenFile + " is empty");
      }
      return token;
    } catch (IOException e) {
      throw new CliException(
          QumaCtl.UNREACHABLE,
          "could not read the token file " + tokenFile + ": " + e.getMessage());
    }
  }

  private Duration timeoutDuration() {
    try {
      return Duration.parse("PT" + timeout.toUpperCase(java.util.Locale.ROOT));
    } catch (java.time.format.DateTimeParseException e) {
      throw usage("--timeout must be like 30s or 2m, got \"" + timeout + "\"");
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}

package dev.quma.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Holds each tier's image recipes and its own configuration against its Deployment, so that a port
 * changed in one place fails the build instead of a probe in production. Reads the base's files
 * directly (they are plain manifests), so it needs no kubectl.
 */
class ImageRecipesTest {
  private static final Pattern EXPOSE = Pattern.compile("(?m)^EXPOSE\\s+(.+)$");

  /** The Quarkus setting that puts a service on the port of each name the manifests use. */
  private static final Map<String, String> PORT_PROPERTIES =
      Map.of(
          "http", "quarkus.http.port",
          "https", "quarkus.http.ssl-port",
          "management", "quarkus.management.port",
          "grpc", "quarkus.grpc.server.port",
          "mads", "quma.mads.port");

  private static final Pattern USER = Pattern.compile("(?m)^USER\\s+(\\d+)\\s*$");

  static List<String> tiers() {
    return WorkloadRules.TIERS.stream().sorted().toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tiers")
  void bothRecipesExposeTheDeploymentsPortsAndRunAsAnUnprivilegedUser(String tier)
      throws IOException {
    Path recipes = recipes(tier);
    Set<Integer> declared = containerPorts(tier).values().stream().collect(Collectors.toSet());

    String jvm = Files.readString(recipes.resolve("Dockerfile.jvm"));
    assertThat(jvm)
        .contains("FROM eclipse-temurin:25.0.3_9-jre")
        .contains("target/quarkus-app/lib/")
        .contains("COPY --chown=185 target/quarkus-app/app.aot /deployments/app.aot")
        .contains("COPY --chown=185 src/main/jvm/jvm.options /deployments/jvm.options")
        .contains("java @/deployments/jvm.options")
        .contains("-XX:AOTCache=/deployments/app.aot")
        .contains("-jar /deployments/quarkus-run.jar");
    // The AOT cache is refused under another GC than the training's: the GC is never left to the
    // JVM's choice, which depends on the CPUs and memory of the machine.
    assertThat(Files.readString(projectRoot().resolve(tier + "/src/main/jvm/jvm.options")))
        .containsPattern("(?m)^-XX:\\+Use(Serial|G1|Parallel|Z)GC$");
    assertThat(exposed(jvm)).isEqualTo(declared);
    assertThat(user(jvm)).isPositive();

    String nativeMicro = Files.readString(recipes.resolve("Dockerfile.native-micro"));
    assertThat(nativeMicro)
        .contains("FROM quay.io/quarkus/quarkus-micro-image:2.0")
        .contains("target/*-runner");
    assertThat(exposed(nativeMicro)).isEqualTo(declared);
    assertThat(user(nativeMicro)).isPositive();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tiers")
  void theServicesDefaultPortsAreTheOnesTheDeploymentDeclares(String tier) throws IOException {
    Path properties = projectRoot().resolve(tier + "/src/main/resources/application.properties");
    String config = Files.readString(properties);
    Map<String, Integer> ports = containerPorts(tier);

    assertThat(PORT_PROPERTIES).containsKeys(ports.keySet().toArray(String[]::new));
    ports.forEach(
        (name, number) ->
            assertThat(defaultOf(config, PORT_PROPERTIES.get(name)))
                .as(tier + " port " + name)
                .isEqualTo(number));
  }

  /** The module's src/main/docker. */
  private static Path recipes(String tier) {
    return projectRoot().resolve(tier + "/src/main/docker");
  }

  /** Port names to numbers of the tier's container in the base. */
  private static Map<String, Integer> containerPorts(String tier) throws IOException {
    String yaml = Files.readString(Manifests.root().resolve("base/" + tier + ".yaml"));
    List<HasMetadata> objects = new StrictManifestReader().read(yaml);
    Deployment deployment =
        objects.stream()
            .filter(Deployment.class::isInstance)
            .map(Deployment.class::cast)
            .findFirst()
            .orElseThrow();
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().stream()
        .collect(Collectors.toMap(ContainerPort::getName, ContainerPort::getContainerPort));
  }

  private static Set<Integer> exposed(String dockerfile) {
    Matcher matcher = EXPOSE.matcher(dockerfile);
    assertThat(matcher.find()).as("an EXPOSE line").isTrue();
    return Arrays.stream(matcher.group(1).trim().split("\\s+"))
        .map(Integer::valueOf)
        .collect(Collectors.toSet());
  }

  private static int user(String dockerfile) {
    Matcher matcher = USER.matcher(dockerfile);
    assertThat(matcher.find()).as("a numeric USER line").isTrue();
    return Integer.parseInt(matcher.group(1));
  }

  /** {@code key=${ENV:default}} or {@code key=value}: the port a service listens on unless told. */
  private static Integer defaultOf(String properties, String key) {
    Matcher matcher =
        Pattern.compile("(?m)^" + Pattern.quote(key) + "=(?:\\$\\{[A-Z_]+:(\\d+)}|(\\d+))\\s*$")
            .matcher(properties);
    assertThat(matcher.find()).as(key + " with a default").isTrue();
    return Integer.valueOf(matcher.group(1) != null ? matcher.group(1) : matcher.group(2));
  }

  private static Path projectRoot() {
    return Manifests.root().getParent().getParent();
  }
}

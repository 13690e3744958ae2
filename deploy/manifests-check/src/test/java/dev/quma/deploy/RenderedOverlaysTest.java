package dev.quma.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Renders every overlay under deploy/kubernetes/overlays with kubectl, alone and with every
 * component, reads each object strictly into fabric8's model and checks every rule; then checks
 * what each overlay is for.
 */
class RenderedOverlaysTest {
  private static final List<String> TIERS =
      List.of(
          "api-service", "xds-service", "lifecycle-worker", "token-service", "bootstrap-service");

  @BeforeAll
  static void kubectlIsThere() {
    assumeTrue(
        Kustomize.available(),
        "SKIPPED: no kubectl on the PATH, so the Kubernetes manifests were NOT rendered or checked."
            + " Install kubectl to run these tests.");
  }

  static Stream<String> overlays() throws IOException {
    try (Stream<Path> dirs = Files.list(Manifests.root().resolve("overlays"))) {
      List<String> names =
          dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList();
      // A renamed or lost directory must not shrink the check to nothing.
      assertThat(names)
          .contains("bundled-stores", "external-stores", "external-cluster", "knative");
      return names.stream();
    }
  }

  static Stream<String> components() throws IOException {
    try (Stream<Path> dirs = Files.list(Manifests.root().resolve("components"))) {
      return dirs
          .filter(Files::isDirectory)
          .map(d -> d.getFileName().toString())
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  void everyOverlayRendersAndKeepsEveryRule(String overlay) {
    List<HasMetadata> objects =
        Manifests.renderAndRead(Manifests.root().resolve("overlays/" + overlay));

    assertThat(objects).isNotEmpty();
    assertThat(Manifests.violations(objects)).isEmpty();
  }

  @ParameterizedTest(name = "{0} with every component")
  @MethodSource("overlays")
  void everyOverlayWithEveryComponentRendersAndKeepsEveryRule(String overlay) throws IOException {
    List<String> components = components().toList();
    assertThat(components).contains("custom-metrics-hpa", "xds-operator-tls");

    List<HasMetadata> objects = Manifests.renderWithComponents(overlay, components);

    assertThat(Manifests.violations(objects)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  void theDatabasePasswordReachesOnlyTheTokenServiceAndPostgres(String overlay) {
    List<HasMetadata> objects =
        Manifests.renderAndRead(Manifests.root().resolve("overlays/" + overlay));

    List<String> holders =
        objects.stream()
            .map(Workload::of)
            .flatMap(java.util.Optional::stream)
            .filter(w -> Manifests.secretsUsedBy(w).contains("quma-database-credentials"))
            .map(Workload::name)
            .toList();
    assertThat(holders).contains("token-service").isSubsetOf("token-service", "postgres");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  void theXdsAddressInBootstrapsIsANameInTheServersCertificates(String overlay) {
    List<HasMetadata> objects =
        Manifests.renderAndRead(Manifests.root().resolve("overlays/" + overlay));
    Map<String, String> config = configMap(objects, "quma-config");

    assertThat(List.of(config.get("QUMA_TLS_HOSTNAMES").split(",")))
        .contains(config.get("QUMA_BOOTSTRAP_XDS_HOST"), "bootstrap-service.quma-system.svc");
    assertThat(config.get("QUMA_BOOTSTRAP_XDS_PORT"))
        .isEqualTo(
            one(objects, Service.class, "xds-service").getSpec().getPorts().stream()
                .filter(p -> p.getName().equals("grpc"))
                .findFirst()
                .orElseThrow()
                .getPort()
                .toString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("overlays")
  void localhostIsNeverAdminInACluster(String overlay) {
    List<HasMetadata> objects =
        Manifests.renderAndRead(Manifests.root().resolve("overlays/" + overlay));
    String setting = "KUMA_API_SERVER_AUTHN_LOCALHOST_IS_ADMIN";

    assertThat(configMap(objects, "quma-config")).containsEntry(setting, "false");
    List<Workload> tiers =
        objects.stream()
            .map(Workload::of)
            .flatMap(java.util.Optional::stream)
            .filter(w -> List.of("api-service", "token-service").contains(w.name()))
            .toList();
    assertThat(tiers).hasSize(2);
    for (Workload tier : tiers) {
      var container = tier.containers().get(0);
      assertThat(container.getEnvFrom())
          .as(tier.name() + " reads quma-config")
          .filteredOn(from -> from.getConfigMapRef() != null)
          .anySatisfy(
              from -> assertThat(from.getConfigMapRef().getName()).startsWith("quma-config-"));
      assertThat(
              container.getEnv() == null
                  ? List.<io.fabric8.kubernetes.api.model.EnvVar>of()
                  : container.getEnv())
          .as(tier.name() + " does not override it")
          .noneSatisfy(e -> assertThat(e.getName()).isEqualTo(setting));
    }
  }

  @Test
  void bundledStoresRunEveryTierAndPersistentStores() {
    List<HasMetadata> objects =
        Manifests.renderAndRead(Manifests.root().resolve("overlays/bundled-stores"));

    assertThat(names(objects, Deployment.class)).containsExactlyInAnyOrderElementsOf(TIERS);
    assertThat(names(objects, PodDisruptionBudget.class))
        .containsExactlyInAnyOrderElementsOf(TIERS);
    assertThat(names(objects, HorizontalPodAutoscaler.class))
        .containsExactlyInAnyOrder("xds-service", "api-service", "bootstrap-service");
    assertThat(one(objects, Deployment.class, "lifecycle-worker").getSpec().getReplicas())
        .isEqualTo(2);

    StatefulSet redis = one(objects, StatefulSet.class, "redis");
    assertThat(redis.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .containsSubsequence("--appendonly", "yes")
        .containsSubsequence("--maxmemory-policy", "noeviction")
        .contains("--maxmemory");
    assertThat(redis.getSpec().getVolumeClaimTemplates()).hasSize(1);
    assertThat(one(objects, StatefulSet.class, "postgres").getSpec().getVolumeClaimTemplates())
        .hasSize(1);
    assertThat(names(objects, NetworkPolicy.class)).containsExactlyInAnyOrder("redis", "postgres");
    assertThat(stores(objects))
        .containsEntry("QUMA_REDIS_URL", "redis://redis:6379")
        .containsEntry("QUMA_DATABASE_URL", "postgresql://postgres:5432/quma");
  }

  @Test
  void externalStoresBringNoStoreOfTheirOwn() {
    List<HasMetadata> objects =
        Manifests.renderAndRead(Manifests.root().resolve("overlays/external-stores"));

    assertThat(names(objects, StatefulSet.class)).isEmpty();
    assertThat(names(objects, Deployment.class)).containsExactlyInAnyOrderElementsOf(TIERS);
    assertThat(stores(objects)).containsKeys("QUMA_REDIS_URL", "QUMA_DATABASE_URL");
  }

  @Test
  void anExternalClusterIsNamedByItsNodesAndTheClusterClientType() {
    List<HasMetadata> objects =
        Manifests.renderAndRead(Manifests.root().resolve("overlays/external-cluster"));

    assertThat(names(objects, StatefulSet.class)).isEmpty();
    assertThat(names(objects, Deployment.class)).containsExactlyInAnyOrderElementsOf(TIERS);
    assertThat(stores(objects)).containsEntry("QUMA_REDIS_CLIENT_TYPE", "cluster");
    assertThat(stores(objects).get("QUMA_REDIS_URL").split(","))
        .hasSizeGreaterThan(1)
        .allMatch(url -> url.startsWith("redis://"));
    assertThat(stores(objects)).containsKey("QUMA_DATABASE_URL");
  }

  @Test
  void knativeRunsTheRequestDrivenTiersAsServicesThatScaleToZero() {
    List<HasMetadata> objects =
        Manifests.renderAndRead(Manifests.root().resolve("overlays/knative"));

    List<io.fabric8.knative.serving.v1.Service> knative =
        objects.stream()
            .filter(io.fabric8.knative.serving.v1.Service.class::isInstance)
            .map(io.fabric8.knative.serving.v1.Service.class::cast)
            .toList();
    assertThat(knative)
        .extracting(s -> s.getMetadata().getName())
        .containsExactlyInAnyOrder("api-service", "token-service", "bootstrap-service");
    assertThat(knative)
        .allSatisfy(
            s ->
                assertThat(s.getSpec().getTemplate().getMetadata().getAnnotations())
                    .containsEntry("autoscaling.knative.dev/min-scale", "0"));
    // The long-lived streams and the timer-driven worker stay Deployments.
    assertThat(names(objects, Deployment.class))
        .containsExactlyInAnyOrder("xds-service", "lifecycle-worker");
    assertThat(names(objects, HorizontalPodAutoscaler.class)).containsExactly("xds-service");
    assertThat(names(objects, Service.class))
        .doesNotContain("api-service", "token-service", "bootstrap-service");
  }

  @Test
  void knativeProbesReachThePortsTheDeploymentsProbe() {
    List<HasMetadata> knative =
        Manifests.renderAndRead(Manifests.root().resolve("overlays/knative"));
    List<HasMetadata> deployed =
        Manifests.renderAndRead(Manifests.root().resolve("overlays/bundled-stores"));

    for (String tier : List.of("api-service", "token-service", "bootstrap-service")) {
      var service = one(knative, io.fabric8.knative.serving.v1.Service.class, tier);
      var container = service.getSpec().getTemplate().getSpec().getContainers().get(0);
      var deployment = one(deployed, Deployment.class, tier);
      var expected = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
      int deployedProbePort =
          WorkloadRules.findPort(
                  expected.getReadinessProbe().getHttpGet().getPort(), expected.getPorts())
              .getContainerPort();
      assertThat(container.getReadinessProbe().getHttpGet().getPort().getIntVal())
          .as(tier + " readiness port")
          .isEqualTo(deployedProbePort);
      assertThat(container.getLivenessProbe().getHttpGet().getPort().getIntVal())
          .as(tier + " liveness port")
          .isEqualTo(deployedProbePort);
    }
  }

  @Test
  void customMetricsComponentAddsConnectedProxiesBesideCpu() {
    List<HasMetadata> objects =
        Manifests.renderWithComponents("bundled-stores", List.of("custom-metrics-hpa"));

    HorizontalPodAutoscaler xds = one(objects, HorizontalPodAutoscaler.class, "xds-service");
    assertThat(xds.getSpec().getMetrics())
        .anySatisfy(m -> assertThat(m.getResource().getName()).isEqualTo("cpu"))
        .anySatisfy(
            m -> {
              assertThat(m.getType()).isEqualTo("Pods");
              assertThat(m.getPods().getMetric().getName()).isEqualTo("xds_proxies_connected");
            });
  }

  @Test
  void operatorTlsComponentPointsTheGrpcServerAtTheMountedSecret() {
    List<HasMetadata> objects =
        Manifests.renderWithComponents("external-stores", List.of("xds-operator-tls"));

    var pod = one(objects, Deployment.class, "xds-service").getSpec().getTemplate().getSpec();
    var container = pod.getContainers().get(0);
    String mountPath =
        container.getVolumeMounts().stream()
            .filter(m -> m.getName().equals("xds-tls"))
            .findFirst()
            .orElseThrow()
            .getMountPath();
    assertThat(pod.getVolumes())
        .anySatisfy(
            v -> {
              assertThat(v.getName()).isEqualTo("xds-tls");
              assertThat(v.getSecret().getSecretName()).isEqualTo("quma-xds-tls");
            });
    assertThat(container.getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("QUARKUS_GRPC_SERVER_SSL_CERTIFICATE");
              assertThat(e.getValue()).startsWith(mountPath + "/");
            })
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("QUARKUS_GRPC_SERVER_SSL_KEY");
              assertThat(e.getValue()).startsWith(mountPath + "/");
            });
  }

  private static Map<String, String> stores(List<HasMetadata> objects) {
    return configMap(objects, "quma-stores");
  }

  /** A generated ConfigMap, found by its name before kustomize's hash suffix. */
  private static Map<String, String> configMap(List<HasMetadata> objects, String name) {
    return objects.stream()
        .filter(ConfigMap.class::isInstance)
        .map(ConfigMap.class::cast)
        .filter(c -> c.getMetadata().getName().startsWith(name + "-"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no ConfigMap " + name))
        .getData();
  }

  private static List<String> names(List<HasMetadata> objects, Class<? extends HasMetadata> type) {
    return objects.stream().filter(type::isInstance).map(o -> o.getMetadata().getName()).toList();
  }

  private static <T extends HasMetadata> T one(
      List<HasMetadata> objects, Class<T> type, String name) {
    return objects.stream()
        .filter(type::isInstance)
        .map(type::cast)
        .filter(o -> o.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
  }
}

package dev.quma.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Each rule catches its mistake: a sound tier keeps them all, and breaking one thing in it yields
 * exactly the finding that names it.
 */
class RulesTest {

  @Test
  void aSoundTierKeepsEveryRule() {
    assertThat(Manifests.violations(sound())).isEmpty();
  }

  @Test
  void aProbeOnAnUndeclaredPortIsFound() {
    assertThat(
            breakDeployment(
                d ->
                    container(d)
                        .getReadinessProbe()
                        .getHttpGet()
                        .setPort(new IntOrString("health"))))
        .containsExactly(
            "Deployment xds-service, container xds-service: readinessProbe targets port health,"
                + " which is not declared");
  }

  @Test
  void aProbeOnAnotherPathIsFound() {
    assertThat(
            breakDeployment(d -> container(d).getLivenessProbe().getHttpGet().setPath("/healthz")))
        .containsExactly(
            "Deployment xds-service, container xds-service: livenessProbe asks /healthz, not"
                + " /q/health/live");
  }

  @Test
  void aMissingLimitIsFound() {
    assertThat(breakDeployment(d -> container(d).getResources().getLimits().remove("memory")))
        .containsExactly("Deployment xds-service, container xds-service: has no memory limit");
  }

  @Test
  void aRequestAboveItsLimitIsFound() {
    assertThat(
            breakDeployment(
                d -> container(d).getResources().getRequests().put("cpu", new Quantity("3"))))
        .containsExactly(
            "Deployment xds-service, container xds-service: cpu request is above its limit");
  }

  @Test
  void aWritableRootFilesystemAndKeptCapabilitiesAreFound() {
    assertThat(
            breakDeployment(
                d -> {
                  container(d).getSecurityContext().setReadOnlyRootFilesystem(false);
                  container(d).getSecurityContext().getCapabilities().setDrop(List.of("NET_RAW"));
                }))
        .containsExactlyInAnyOrder(
            "Deployment xds-service, container xds-service: has a writable root filesystem",
            "Deployment xds-service, container xds-service: does not drop ALL capabilities");
  }

  @Test
  void anXdsGraceTooShortToHandProxiesOverIsFound() {
    assertThat(
            breakDeployment(
                d -> d.getSpec().getTemplate().getSpec().setTerminationGracePeriodSeconds(30L)))
        .containsExactly(
            "Deployment xds-service: terminationGracePeriodSeconds is 30, needs at least 45 to"
                + " hand its proxies over");
  }

  @Test
  void anUnexpectedImageIsFound() {
    assertThat(breakDeployment(d -> container(d).setImage("quma/xds-servce:0.1.0")))
        .containsExactly(
            "Deployment xds-service, container xds-service: image quma/xds-servce:0.1.0 is not"
                + " quma/xds-service:<version>");
  }

  @Test
  void aTypoInAReferencedSecretOrConfigMapIsFound() {
    assertThat(
            breakDeployment(
                d -> {
                  container(d).getEnvFrom().get(0).getConfigMapRef().setName("quma-confg");
                  container(d).getEnvFrom().get(1).getSecretRef().setName("quma-redis-credential");
                }))
        .hasSize(2)
        .anySatisfy(v -> assertThat(v).contains("refers to ConfigMap quma-confg"))
        .anySatisfy(v -> assertThat(v).contains("refers to Secret quma-redis-credential"));
  }

  @Test
  void aServiceThatSelectsNoPodsIsFound() {
    List<HasMetadata> objects = sound();
    one(objects, Service.class).getSpec().setSelector(Map.of("app.kubernetes.io/name", "xds"));

    assertThat(Manifests.violations(objects))
        .containsExactly(
            "Service xds-service: selector {app.kubernetes.io/name=xds} matches no pod template");
  }

  @Test
  void aServicePortToAnUndeclaredContainerPortIsFound() {
    List<HasMetadata> objects = sound();
    one(objects, Service.class).getSpec().getPorts().get(0).setTargetPort(new IntOrString(5680));

    assertThat(Manifests.violations(objects))
        .containsExactly(
            "Service xds-service: port grpc targets 5680, which Deployment xds-service does not"
                + " declare");
  }

  @Test
  void anAutoscalerOfAMissingDeploymentIsFound() {
    List<HasMetadata> objects = sound();
    one(objects, HorizontalPodAutoscaler.class).getSpec().getScaleTargetRef().setName("xds");

    assertThat(Manifests.violations(objects))
        .containsExactly(
            "HorizontalPodAutoscaler xds-service: targets apps/v1 Deployment xds, which is not a"
                + " Deployment here");
  }

  @Test
  void aDisruptionBudgetThatSelectsNoPodsIsFound() {
    List<HasMetadata> objects = sound();
    one(objects, PodDisruptionBudget.class)
        .getSpec()
        .getSelector()
        .setMatchLabels(Map.of("app.kubernetes.io/name", "xds-servic"));

    assertThat(Manifests.violations(objects))
        .containsExactly(
            "PodDisruptionBudget xds-service: selector {app.kubernetes.io/name=xds-servic} matches"
                + " no pod template");
  }

  @Test
  void aNetworkPolicyThatAdmitsAMisspeltTierIsFound() {
    List<HasMetadata> objects = sound();
    one(objects, NetworkPolicy.class)
        .getSpec()
        .getIngress()
        .get(0)
        .getFrom()
        .get(0)
        .getPodSelector()
        .getMatchExpressions()
        .get(0)
        .setValues(List.of("xds-servce"));

    assertThat(Manifests.violations(objects))
        .containsExactly(
            "NetworkPolicy xds-service: admits app.kubernetes.io/name=xds-servce, which no pod"
                + " template carries");
  }

  @Test
  void aNetworkPolicyThatProtectsNoPodsIsFound() {
    List<HasMetadata> objects = sound();
    one(objects, NetworkPolicy.class)
        .getSpec()
        .getPodSelector()
        .setMatchLabels(Map.of("app.kubernetes.io/name", "redis"));

    assertThat(Manifests.violations(objects))
        .containsExactly("NetworkPolicy xds-service: podSelector matches no pod template");
  }

  @Test
  void aSecretWithARealLookingValueIsFound() {
    List<HasMetadata> objects = sound();
    Secret secret = one(objects, Secret.class);
    secret.setStringData(Map.of("password", "hunter2"));
    secret.setData(
        Map.of("key", Base64.getEncoder().encodeToString("q8Zr0Yw3fJt+7mV1".getBytes())));

    assertThat(Manifests.violations(objects))
        .containsExactlyInAnyOrder(
            "Secret quma-example: key password holds what looks like a real value",
            "Secret quma-example: key key holds what looks like a real value");
  }

  @Test
  void anObjectOutsideTheNamespaceOrWithoutTheCommonLabelIsFound() {
    List<HasMetadata> objects = sound();
    one(objects, Service.class).getMetadata().setNamespace("default");
    one(objects, Service.class).getMetadata().setLabels(Map.of());

    assertThat(Manifests.violations(objects))
        .containsExactlyInAnyOrder(
            "Service xds-service: is in namespace default",
            "Service xds-service: lacks the label app.kubernetes.io/part-of: quma");
  }

  private static List<String> breakDeployment(Consumer<Deployment> mistake) {
    List<HasMetadata> objects = sound();
    mistake.accept(one(objects, Deployment.class));
    return Manifests.violations(objects);
  }

  private static Container container(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private static <T> T one(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
  }

  private static List<HasMetadata> sound() {
    try (InputStream in =
        RulesTest.class.getClassLoader().getResourceAsStream("rules/sound.yaml")) {
      return new StrictManifestReader().read(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

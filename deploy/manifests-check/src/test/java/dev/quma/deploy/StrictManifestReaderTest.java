package dev.quma.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quma.deploy.StrictManifestReader.ManifestRejected;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The schema check must catch what kubectl apply would refuse, or worse, silently drop: each broken
 * file differs from a valid one in a single place, and must be rejected naming that place.
 */
class StrictManifestReaderTest {
  private final StrictManifestReader reader = new StrictManifestReader();

  @Test
  void readsAValidDeploymentIntoTheTypedModel() {
    List<HasMetadata> objects = reader.read(resource("reader/deployment.yaml"));

    assertThat(objects).singleElement().isInstanceOf(Deployment.class);
    Deployment deployment = (Deployment) objects.get(0);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts())
        .singleElement()
        .satisfies(port -> assertThat(port.getContainerPort()).isEqualTo(5681));
  }

  @Test
  void readsAValidKnativeService() {
    List<HasMetadata> objects = reader.read(resource("reader/knative-service.yaml"));

    assertThat(objects).singleElement().isInstanceOf(io.fabric8.knative.serving.v1.Service.class);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "reader/broken-replica.yaml, 'Unrecognized field \"replica\"', spec",
    "reader/broken-containerport.yaml, 'Unrecognized field \"containerport\"', spec.template.spec.containers[0].ports[0]",
    "reader/broken-unquoted-annotation.yaml, 'String', metadata.annotations",
    "reader/broken-kind.yaml, 'apps/v1/Deploymnet is not one this project deploys', document 1",
    "reader/broken-type.yaml, 'Invalid quantity', spec.template.spec.containers[0].resources.limits.memory",
    "reader/broken-knative-field.yaml, 'Unrecognized field \"containerConcurency\"', spec.template.spec",
  })
  void rejectsAManifestWithOneMistake(String file, String reason, String where) {
    assertThatThrownBy(() -> reader.read(resource(file)))
        .isInstanceOf(ManifestRejected.class)
        .hasMessageContaining(reason)
        .hasMessageContaining(where);
  }

  @Test
  void rejectsTextThatIsNotYaml() {
    assertThatThrownBy(() -> reader.read("kind: [unclosed"))
        .isInstanceOf(ManifestRejected.class)
        .hasMessageContaining("not YAML");
  }

  private static String resource(String name) {
    try (InputStream in =
        StrictManifestReaderTest.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

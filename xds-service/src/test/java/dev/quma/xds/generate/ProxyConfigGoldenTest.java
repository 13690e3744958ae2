package dev.quma.xds.generate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.protobuf.Message;
import dev.quma.core.codec.Format;
import dev.quma.core.codec.ResourceCodec;
import dev.quma.core.model.Dataplane;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceType;
import dev.quma.core.validation.ResourceValidator;
import dev.quma.xds.view.MeshView;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Envoy configuration generated for each proxy of a golden case: {@code NAME.input.yaml} holds
 * the mesh's dataplanes, {@code NAME.PROXY.golden.yaml} what that proxy is sent.
 */
class ProxyConfigGoldenTest {

  @ParameterizedTest
  @ValueSource(strings = {"seeds", "services"})
  void generatesWhatTheGoldenFilesSay(String name) throws IOException {
    JsonNode input =
        new YAMLMapper().readTree(GoldenFiles.DIR.resolve(name + ".input.yaml").toFile());
    MeshView view = new MeshView("default");
    List<Resource<Dataplane>> dataplanes = new ArrayList<>();
    long version = 1;
    for (JsonNode document : input.get("dataplanes")) {
      byte[] yaml = new YAMLMapper().writeValueAsBytes(document);
      Resource<Dataplane> dataplane =
          ResourceCodec.instance()
              .<Dataplane>decode(yaml, Format.YAML, ResourceType.DATAPLANE)
              .toResource(ResourceType.DATAPLANE);
      ResourceValidator.validate(dataplane);
      view.apply(dataplane.name(), version++, dataplane.spec());
      dataplanes.add(dataplane);
    }
    for (JsonNode proxy : input.get("proxies")) {
      Dataplane spec =
          dataplanes.stream()
              .filter(d -> d.name().equals(proxy.asText()))
              .findFirst()
              .orElseThrow()
              .spec();
      ProxyResources resources = ProxyConfigGenerator.generate(spec, view);
      List<Message> all = new ArrayList<>(resources.listeners());
      all.addAll(resources.clusters());
      all.addAll(resources.loadAssignments());
      String actual = GoldenFiles.render(all);
      String file = name + "." + proxy.asText() + ".golden.yaml";
      assertThat(actual)
          .as(file + " (rerun with -Dgolden.update=true to accept)")
          .isEqualTo(GoldenFiles.expected(file, actual));
    }
    assertThat(
            Files.readString(GoldenFiles.DIR.resolve(name + ".input.yaml"), StandardCharsets.UTF_8))
        .isNotBlank();
  }
}

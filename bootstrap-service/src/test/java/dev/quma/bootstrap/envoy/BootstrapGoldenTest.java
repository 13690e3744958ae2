package dev.quma.bootstrap.envoy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quma.bootstrap.BootstrapConfig.AdsApiType;
import dev.quma.bootstrap.testing.BootstrapRules;
import dev.quma.core.codec.Format;
import dev.quma.core.codec.ResourceCodec;
import dev.quma.core.model.Dataplane;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceType;
import dev.quma.core.validation.ResourceValidator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The bootstrap of each golden case: {@code NAME.input.yaml} is the dataplane an agent sends,
 * {@code NAME.golden.yaml} the Envoy bootstrap it gets. Regenerating is explicit: run with {@code
 * -Dgolden.update=true} to write the files, then review the diff like code; without the flag a
 * missing golden file fails.
 */
class BootstrapGoldenTest {
  static final Path DIR = Path.of("src/test/resources/golden");
  static final String CA = "-----BEGIN CERTIFICATE-----\nMIIBtest-ca\n-----END CERTIFICATE-----\n";

  @ParameterizedTest
  @CsvSource({
    "redis-1, GRPC, true",
    "backend-1, DELTA_GRPC, true",
    "backend-1-indirect, DELTA_GRPC, false"
  })
  void bootstrapIsWhatTheGoldenFileSays(String name, AdsApiType api, boolean direct)
      throws IOException {
    String input = name.replace("-indirect", "");
    Resource<Dataplane> dataplane =
        ResourceCodec.instance()
            .<Dataplane>decode(
                Files.readAllBytes(DIR.resolve(input + ".input.yaml")),
                Format.YAML,
                ResourceType.DATAPLANE)
            .toResource(ResourceType.DATAPLANE);
    ResourceValidator.validate(dataplane);
    EnvoyBootstrapFactory factory =
        new EnvoyBootstrapFactory(
            new BootstrapSettings("xds.quma.internal", 5678, api, 9901, direct ? CA : null));
    io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap bootstrap =
        factory.build(
            new BootstrapInput(
                dataplane,
                direct,
                "eyJhbGciOiJSUzI1NiJ9.test-token.signature",
                null,
                new ObjectMapper()
                    .readTree(
                        "{\"kumaDp\":{\"version\":\"0.1.0\"},\"envoy\":{\"version\":\"1.31.0\"}}"),
                // Direct cases come from an agent with its readiness reporter on Kuma's port.
                direct ? 9902 : null));
    BootstrapRules.assertValid(bootstrap);
    String actual = BootstrapRenderer.yaml(bootstrap);
    BootstrapRules.assertValid(actual);
    // The renderer reuses the printed static part: the result must be the whole message, printed.
    String whole =
        com.google.protobuf.util.JsonFormat.printer()
            .usingTypeRegistry(
                com.google.protobuf.util.JsonFormat.TypeRegistry.newBuilder()
                    .add(
                        io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions
                            .getDescriptor())
                    .add(
                        io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext
                            .getDescriptor())
                    .build())
            .print(bootstrap);
    assertThat(new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(actual))
        .isEqualTo(new ObjectMapper().readTree(whole));
    assertThat(new ObjectMapper().readTree(BootstrapRenderer.json(bootstrap)))
        .isEqualTo(new ObjectMapper().readTree(whole));
    String file = name + ".golden.yaml";
    assertThat(actual)
        .as(file + " (rerun with -Dgolden.update=true to accept)")
        .isEqualTo(expected(file, actual));
  }

  static String expected(String file, String actual) {
    Path path = DIR.resolve(file);
    try {
      if (Boolean.getBoolean("golden.update")) {
        Files.writeString(path, actual);
      }
      if (!Files.exists(path)) {
        throw new AssertionError(
            "no golden file "
                + path
                + ": run the test with -Dgolden.update=true to write it, then review it");
      }
      return Files.readString(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.quma.core.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.quma.core.codec.Format;
import dev.quma.core.codec.ResourceCodec;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceType;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The opaque fields of Meshes and Dataplanes are bounded in depth and size (issue 15, item 3). */
class OpaqueFieldsTest {

  static String nested(int levels) {
    String value = "{\"a\":1}";
    for (int i = 1; i < levels; i++) {
      value = "{\"a\":" + value + "}";
    }
    return value;
  }

  @Test
  void aDataplaneWhoseMetricsConfNestsTooDeepIsRefused() {
    String body =
        "{\"type\":\"Dataplane\",\"mesh\":\"default\",\"name\":\"deep\",\"networking\":{\"address\":\"1.2.3.4\","
            + "\"inbound\":[{\"port\":1,\"tags\":{\"kuma.io/service\":\"a\"}}]},"
            + "\"metrics\":{\"type\":\"prometheus\",\"conf\":"
            + nested(996)
            + "}}";
    ValidationException error = invalid(body, ResourceType.DATAPLANE);
    assertThat(error.violations())
        .containsExactly(new Violation("metrics.conf", "must not nest deeper than 32 levels"));
  }

  @Test
  void aMeshWithADeepOrLargeSectionIsRefused() {
    assertThat(
            invalid(
                    "{\"type\":\"Mesh\",\"name\":\"m\",\"logging\":" + nested(40) + "}",
                    ResourceType.MESH)
                .violations())
        .containsExactly(new Violation("logging", "must not nest deeper than 32 levels"));
    String large = "x".repeat(70_000);
    assertThat(
            invalid(
                    "{\"type\":\"Mesh\",\"name\":\"m\",\"tracing\":{\"a\":\"" + large + "\"}}",
                    ResourceType.MESH)
                .violations())
        .containsExactly(new Violation("tracing", "must not be larger than 65536 bytes"));
  }

  @Test
  void ordinarySectionsPass() {
    Resource<?> mesh =
        parse(
            "{\"type\":\"Mesh\",\"name\":\"m\",\"logging\":" + nested(32) + "}", ResourceType.MESH);
    ResourceValidator.validate(mesh);
    assertThat(mesh.name()).isEqualTo("m");
  }

  private static ValidationException invalid(String body, ResourceType type) {
    ValidationException error =
        catchThrowableOfType(
            ValidationException.class, () -> ResourceValidator.validate(parse(body, type)));
    assertThat(error).as("refused").isNotNull();
    return error;
  }

  private static Resource<?> parse(String body, ResourceType type) {
    return ResourceCodec.instance()
        .decode(body.getBytes(StandardCharsets.UTF_8), Format.JSON, type)
        .toResource(type);
  }
}

package dev.quma.core.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.quma.core.codec.Format;
import dev.quma.core.codec.ResourceCodec;
import dev.quma.core.model.Dataplane;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every Dataplane rule, valid and invalid, from {@code validation/dataplane-cases.yaml}. */
class DataplaneValidationTableTest {

  private static final JsonNode CASES = load();

  static Stream<Arguments> validCases() {
    List<Arguments> cases = new ArrayList<>();
    CASES
        .get("valid")
        .forEach(
            c ->
                cases.add(
                    Arguments.of(Named.of(c.get("name").asText(), c.get("resource").asText()))));
    return cases.stream();
  }

  static Stream<Arguments> invalidCases() {
    List<Arguments> cases = new ArrayList<>();
    for (JsonNode c : CASES.get("invalid")) {
      List<Violation> expected = new ArrayList<>();
      c.get("violations")
          .forEach(
              v -> expected.add(new Violation(v.get("field").asText(), v.get("message").asText())));
      cases.add(
          Arguments.of(Named.of(c.get("name").asText(), c.get("resource").asText()), expected));
    }
    return cases.stream();
  }

  @ParameterizedTest
  @MethodSource("validCases")
  void acceptsValidDataplanes(String yaml) {
    Resource<Dataplane> dataplane = parse(yaml);
    ResourceValidator.validate(dataplane); // throws on any violation
    assertThat(dataplane.spec().networking()).isNotNull();
  }

  @ParameterizedTest
  @MethodSource("invalidCases")
  void reportsEveryViolationWithKumasPathAndMessage(String yaml, List<Violation> expected) {
    ValidationException error =
        catchThrowableOfType(
            ValidationException.class, () -> ResourceValidator.validate(parse(yaml)));
    assertThat(error).as("expected violations, got none").isNotNull();
    assertThat(error.violations()).containsExactlyElementsOf(expected);
  }

  private static Resource<Dataplane> parse(String yaml) {
    return ResourceCodec.instance()
        .<Dataplane>decode(
            yaml.getBytes(StandardCharsets.UTF_8), Format.YAML, ResourceType.DATAPLANE)
        .toResource(ResourceType.DATAPLANE);
  }

  private static JsonNode load() {
    try (InputStream in =
        DataplaneValidationTableTest.class.getResourceAsStream(
            "/validation/dataplane-cases.yaml")) {
      return new YAMLMapper().readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}

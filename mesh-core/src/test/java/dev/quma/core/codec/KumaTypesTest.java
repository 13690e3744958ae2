package dev.quma.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.quma.core.model.Dataplane;
import dev.quma.core.model.Mesh;
import dev.quma.core.model.ResourceType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Types as Kuma's decoder (protobuf's JSON mapping) takes them, and what YAML may not smuggle in
 * (issue 15, item 5). Every refusal names the field and no class.
 */
class KumaTypesTest {
  private final ResourceCodec codec = ResourceCodec.instance();

  private static String inbound(String port, String tags, String extra) {
    return "{\"type\":\"Dataplane\",\"mesh\":\"default\",\"name\":\"t1\",\"networking\":{\"address\":\"1.2.3.4\","
        + "\"inbound\":[{\"port\":"
        + port
        + ",\"tags\":"
        + tags
        + extra
        + "}]}}";
  }

  @Test
  void numbersMayBeQuoted() {
    Dataplane dataplane =
        this.<Dataplane>json(inbound("\"8000\"", "{\"kuma.io/service\":\"a\"}", "")).spec();
    assertThat(dataplane.networking().inbound().get(0).port()).isEqualTo(8000);
  }

  @ParameterizedTest
  @ValueSource(strings = {"true", "12", "1.5"})
  void aNumberOrBooleanIsNoString(String value) {
    MalformedResourceException error =
        refused(inbound("8000", "{\"kuma.io/service\":" + value + "}", ""), Format.JSON);
    assertThat(error.field()).isEqualTo("networking.inbound[0].tags[\"kuma.io/service\"]");
    assertThat(error.getMessage()).isEqualTo("must be a string");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"false\"", "0", "1", "\"\""})
  void aStringOrNumberIsNoBoolean(String value) {
    MalformedResourceException error =
        refused(
            inbound("8000", "{\"kuma.io/service\":\"a\"}", ",\"health\":{\"ready\":" + value + "}"),
            Format.JSON);
    assertThat(error.field()).isEqualTo("networking.inbound[0].health.ready");
    assertThat(error.getMessage()).isEqualTo("must be a boolean");
  }

  @Test
  void aBooleanIsNoNumberAndAnEmptyStringNoPort() {
    assertThat(refused(inbound("true", "{}", ""), Format.JSON).getMessage())
        .isEqualTo("must be an integer");
    assertThat(refused(inbound("\"\"", "{}", ""), Format.JSON).getMessage())
        .isEqualTo("must be an integer");
  }

  @Test
  void labelsAreStrings() {
    MalformedResourceException error =
        refused("{\"type\":\"Mesh\",\"name\":\"m\",\"labels\":{\"team\":12}}", Format.JSON);
    assertThat(error.field()).isEqualTo("labels[\"team\"]");
  }

  @Test
  void yamlAliasesAreRefusedNotStoredAsTheAnchorsName() {
    String yaml =
        """
        type: Dataplane
        mesh: default
        name: y1
        networking:
          address: 1.2.3.4
          inbound:
          - port: 1
            tags:
              kuma.io/service: &a svc
              x: *a
        """;
    assertThat(refused(yaml, Format.YAML).getMessage())
        .startsWith("YAML aliases (*a) are not supported")
        .contains("line 10");
  }

  @Test
  void billionLaughsNeverExpands() {
    String laughs =
        "type: Mesh\nname: m\nlogging:\n  a: &a [x, x, x, x, x, x, x, x, x]\n"
            + "  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
            + "  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n";
    assertThat(refused(laughs, Format.YAML).getMessage()).startsWith("YAML aliases (*a)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "1.5", "true", "on", "~", "null", "2001-01-01"})
  void yamlKeysThatAreNotStringsAreRefused(String key) {
    String yaml =
        "type: Dataplane\nmesh: default\nname: y1\nnetworking:\n  address: 1.2.3.4\n  inbound:\n"
            + "  - port: 1\n    tags:\n      kuma.io/service: svc\n      "
            + key
            + ": b\n";
    assertThat(refused(yaml, Format.YAML).getMessage())
        .startsWith("the YAML key " + key + " is not a string")
        .contains("quote it");
  }

  @Test
  void quotedYamlKeysAreStrings() {
    String yaml =
        "type: Dataplane\nmesh: default\nname: y1\nnetworking:\n  address: 1.2.3.4\n  inbound:\n"
            + "  - port: 1\n    tags:\n      kuma.io/service: svc\n      \"1\": b\n";
    Dataplane dataplane =
        codec.<Dataplane>decode(bytes(yaml), Format.YAML, ResourceType.DATAPLANE).spec();
    assertThat(dataplane.networking().inbound().get(0).tags()).containsEntry("1", "b");
  }

  @Test
  void yamlTagsAndSecondDocumentsAreRefused() {
    assertThat(refused("type: Mesh\nname: !!str m\n", Format.YAML).getMessage())
        .startsWith("YAML tags (tag:yaml.org,2002:str) are not supported");
    assertThat(refused("type: Mesh\nname: m\n---\ntype: Mesh\nname: n\n", Format.YAML).getMessage())
        .startsWith("only one YAML document");
  }

  @Test
  void errorsNameNoClass() {
    List<String> messages =
        List.of(
            refused("{\"type\":\"Mesh\",\"name\":\"m\"} {\"a\":1}", Format.JSON).getMessage(),
            refused("[1] [2]", Format.JSON).getMessage(),
            refused("? [a]\n: b\n", Format.YAML).getMessage(),
            refusedBytes(new byte[] {0, 0, 0, '{', 0, 0, 0}, Format.JSON).getMessage(),
            refusedBytes(new byte[] {(byte) 0xff, (byte) 0xfe, '{'}, Format.JSON).getMessage(),
            refused("{\"type\":\"Mesh\",\"name\":\"m\",\"logging\":[1]}", Format.JSON).getMessage(),
            refused(inbound("[1]", "{}", ""), Format.JSON).getMessage());
    assertThat(messages).noneMatch(UserMessages::namesAClass);
    assertThat(messages.get(0)).contains("unexpected content after the end of the document");
  }

  @Test
  void whatCannotBeReadBackIsNotStorable() {
    Mesh mesh =
        codec
            .<Mesh>decode(
                bytes("{\"type\":\"Mesh\",\"name\":\"m\",\"logging\":{\"a\":1e400}}"),
                Format.JSON,
                ResourceType.MESH)
            .spec();
    MalformedResourceException error =
        catchThrowableOfType(MalformedResourceException.class, () -> codec.storableSpec(mesh));
    assertThat(error.getMessage()).contains("does not read back as itself");
    Mesh fine =
        new Mesh(null, null, Map.of("a", 1, "b", List.of("x")), null, null, null, null, null, null);
    assertThat(codec.storableSpec(fine)).isEqualTo("{\"logging\":{\"a\":1,\"b\":[\"x\"]}}");
  }

  private <S> dev.quma.core.codec.ResourceDocument<S> json(String body) {
    ResourceType type = body.contains("\"Mesh\"") ? ResourceType.MESH : ResourceType.DATAPLANE;
    return codec.decode(bytes(body), Format.JSON, type);
  }

  private MalformedResourceException refused(String body, Format format) {
    return refusedBytes(bytes(body), format);
  }

  private MalformedResourceException refusedBytes(byte[] body, Format format) {
    ResourceType type =
        new String(body, StandardCharsets.ISO_8859_1).contains("Mesh")
            ? ResourceType.MESH
            : ResourceType.DATAPLANE;
    MalformedResourceException error =
        catchThrowableOfType(
            MalformedResourceException.class, () -> codec.decode(body, format, type));
    assertThat(error).as("refused").isNotNull();
    return error;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}

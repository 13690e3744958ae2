package dev.quma.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.quma.core.model.Dataplane;
import dev.quma.core.model.Mesh;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceMeta;
import dev.quma.core.model.ResourceType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ResourceCodecTest {
  private final ResourceCodec codec = ResourceCodec.instance();

  private static final String SEED_REDIS =
      """
      type: Dataplane
      mesh: default
      name: redis-1
      networking:
        address: 192.168.0.1
        inbound:
        - port: 9000
          servicePort: 6379
          tags:
            kuma.io/service: redis
      """;

  @Test
  void writesTheSeedDataplaneInKumasShape() {
    ResourceDocument<Dataplane> doc =
        codec.decode(bytes(SEED_REDIS), Format.YAML, ResourceType.DATAPLANE);
    Resource<Dataplane> stored =
        new Resource<>(
            new ResourceMeta(
                ResourceType.DATAPLANE,
                "default",
                "redis-1",
                Instant.parse("2026-01-02T03:04:05Z"),
                Instant.parse("2026-01-02T03:04:06.5Z"),
                new TreeMap<>(),
                7),
            doc.spec());

    String json = new String(codec.encode(stored, Format.JSON), StandardCharsets.UTF_8);

    assertThat(json)
        .isEqualTo(
            "{\"type\":\"Dataplane\",\"mesh\":\"default\",\"name\":\"redis-1\",\"creationTime\":\"2026-01-02T03:04:05Z\","
                + "\"modificationTime\":\"2026-01-02T03:04:06.500Z\",\"networking\":{\"address\":\"192.168.0.1\","
                + "\"inbound\":[{\"port\":9000,\"servicePort\":6379,\"tags\":{\"kuma.io/service\":\"redis\"}}]}}");
  }

  @Test
  void jsonAndYamlOfTheSameResourceDecodeEqually() {
    ResourceDocument<Dataplane> fromYaml =
        codec.decode(bytes(SEED_REDIS), Format.YAML, ResourceType.DATAPLANE);
    byte[] json = codec.encode(fromYaml.toResource(ResourceType.DATAPLANE), Format.JSON);
    ResourceDocument<Dataplane> fromJson = codec.decode(json, Format.JSON, ResourceType.DATAPLANE);
    assertThat(fromJson).isEqualTo(fromYaml);
    byte[] yaml = codec.encode(fromYaml.toResource(ResourceType.DATAPLANE), Format.YAML);
    assertThat(codec.<Dataplane>decode(yaml, Format.YAML, ResourceType.DATAPLANE))
        .isEqualTo(fromYaml);
  }

  @Test
  void zeroServicePortIsOmittedLikeProtobufJson() {
    ResourceDocument<Dataplane> doc =
        codec.decode(
            bytes(
                "{\"type\":\"Dataplane\",\"mesh\":\"m\",\"name\":\"n\",\"networking\":{\"address\":\"1.1.1.1\",\"inbound\":[{\"port\":\"80\",\"servicePort\":0,\"tags\":{\"kuma.io/service\":\"a\",\"version\":\"1\"}}]}}"),
            Format.JSON,
            ResourceType.DATAPLANE);
    Dataplane.Inbound inbound = doc.spec().networking().inbound().get(0);
    assertThat(inbound.port()).isEqualTo(80); // numeric strings are accepted, as protobuf JSON does
    assertThat(inbound.servicePort()).isNull();
    assertThat(inbound.tags()).containsEntry("version", "1");
    assertThat(codec.writeSpec(doc.spec())).doesNotContain("servicePort");
  }

  @Test
  void unknownFieldIsAnErrorNamingIt() {
    MalformedResourceException error =
        catchThrowableOfType(
            MalformedResourceException.class,
            () ->
                codec.decode(
                    bytes(
                        "type: Dataplane\nname: x\nmesh: default\nnetworking:\n  address: 1.1.1.1\n  inbound:\n  - port: 80\n    prot: 81\n"),
                    Format.YAML,
                    ResourceType.DATAPLANE));
    assertThat(error.field()).isEqualTo("networking.inbound[0].prot");
    assertThat(error.getMessage()).startsWith("unknown field \"prot\"").contains("servicePort");
  }

  @Test
  void wrongTypeIsAnErrorNamingTheField() {
    MalformedResourceException port =
        catchThrowableOfType(
            MalformedResourceException.class,
            () ->
                codec.decode(
                    bytes("{\"networking\":{\"inbound\":[{\"port\":\"eighty\"}]}}"),
                    Format.JSON,
                    ResourceType.DATAPLANE));
    assertThat(port.field()).isEqualTo("networking.inbound[0].port");
    assertThat(port.getMessage()).isEqualTo("must be an integer");

    MalformedResourceException tags =
        catchThrowableOfType(
            MalformedResourceException.class,
            () ->
                codec.decode(
                    bytes(
                        "{\"networking\":{\"inbound\":[{\"port\":1,\"tags\":{\"kuma.io/service\":{\"a\":1}}}]}}"),
                    Format.JSON,
                    ResourceType.DATAPLANE));
    assertThat(tags.field()).isEqualTo("networking.inbound[0].tags[\"kuma.io/service\"]");
    assertThat(tags.getMessage()).isEqualTo("must be a string");

    MalformedResourceException inbound =
        catchThrowableOfType(
            MalformedResourceException.class,
            () ->
                codec.decode(
                    bytes("{\"networking\":{\"inbound\":{\"port\":1}}}"),
                    Format.JSON,
                    ResourceType.DATAPLANE));
    assertThat(inbound.field()).isEqualTo("networking.inbound");
    assertThat(inbound.getMessage()).isEqualTo("must be a list");

    MalformedResourceException gatewayType =
        catchThrowableOfType(
            MalformedResourceException.class,
            () ->
                codec.decode(
                    bytes("{\"networking\":{\"gateway\":{\"type\":\"KONG\"}}}"),
                    Format.JSON,
                    ResourceType.DATAPLANE));
    assertThat(gatewayType.field()).isEqualTo("networking.gateway.type");
    assertThat(gatewayType.getMessage()).isEqualTo("must be one of: DELEGATED, BUILTIN");

    MalformedResourceException fraction =
        catchThrowableOfType(
            MalformedResourceException.class,
            () ->
                codec.decode(
                    bytes("{\"networking\":{\"inbound\":[{\"port\":80.5}]}}"),
                    Format.JSON,
                    ResourceType.DATAPLANE));
    assertThat(fraction.field()).isEqualTo("networking.inbound[0].port");
  }

  @Test
  void syntaxErrorsAndNonObjectsAreRejected() {
    assertThat(
            catchThrowableOfType(
                    MalformedResourceException.class,
                    () -> codec.decode(bytes("{\"name\": "), Format.JSON, ResourceType.DATAPLANE))
                .getMessage())
        .startsWith("invalid JSON");
    assertThat(
            catchThrowableOfType(
                    MalformedResourceException.class,
                    () -> codec.decode(bytes("[1,2]"), Format.JSON, ResourceType.DATAPLANE))
                .getMessage())
        .startsWith("must be an object");
    assertThat(
            catchThrowableOfType(
                    MalformedResourceException.class,
                    () -> codec.decode(bytes("  "), Format.JSON, ResourceType.DATAPLANE))
                .getMessage())
        .startsWith("request body is empty");
    assertThat(
            catchThrowableOfType(
                    MalformedResourceException.class,
                    () ->
                        codec.decode(
                            bytes("{\"name\":\"a\",\"name\":\"b\"}"),
                            Format.JSON,
                            ResourceType.DATAPLANE))
                .getMessage())
        .contains("Duplicate field 'name'");
    assertThat(
            catchThrowableOfType(
                    MalformedResourceException.class,
                    () -> codec.decode(bytes("{\"name\":3}"), Format.JSON, ResourceType.DATAPLANE))
                .field())
        .isEqualTo("name");
  }

  @Test
  void meshKeepsItsSectionsAndRejectsUnknownTopLevelFields() {
    ResourceDocument<Mesh> mesh =
        codec.decode(
            bytes(
                "type: Mesh\nname: prod\nmtls:\n  enabledBackend: ca-1\n  backends:\n  - name: ca-1\n    type: builtin\n"),
            Format.YAML,
            ResourceType.MESH);
    assertThat(mesh.spec().mtls()).containsEntry("enabledBackend", "ca-1");
    assertThat(codec.writeSpec(mesh.spec()))
        .isEqualTo(
            "{\"mtls\":{\"backends\":[{\"name\":\"ca-1\",\"type\":\"builtin\"}],\"enabledBackend\":\"ca-1\"}}");
    MalformedResourceException error =
        catchThrowableOfType(
            MalformedResourceException.class,
            () ->
                codec.decode(
                    bytes("type: Mesh\nname: prod\nmtsl: {}\n"), Format.YAML, ResourceType.MESH));
    assertThat(error.field()).isEqualTo("mtsl");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}

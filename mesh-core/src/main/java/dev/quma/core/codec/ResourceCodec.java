package dev.quma.core.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceMeta;
import dev.quma.core.model.ResourceType;
import dev.quma.core.validation.FieldPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads and writes resources in Kuma's shape: {@code type}, {@code mesh}, {@code name}, times and
 * labels at the top, the spec's fields inline beside them. Reading is strict: an unknown field, a
 * wrong type or a syntax error is a {@link MalformedResourceException} that names the field.
 */
public final class ResourceCodec {

  private static final Set<String> META_FIELDS =
      Set.of("type", "mesh", "name", "labels", "creationTime", "modificationTime");

  /**
   * Writing nests deeper than reading may (1000 levels), so that a record stored before opaque
   * fields were bounded still renders, inside a page and an overview, as it was stored.
   */
  private static final StreamWriteConstraints WRITE_CONSTRAINTS =
      StreamWriteConstraints.builder().maxNestingDepth(2000).build();

  private static final ResourceCodec INSTANCE = new ResourceCodec();

  private final ObjectMapper json;
  private final ObjectMapper yaml;
  private final ObjectReader lenient;

  private ResourceCodec() {
    this.json =
        configure(
                JsonMapper.builder(
                    JsonFactory.builder().streamWriteConstraints(WRITE_CONSTRAINTS).build()))
            .build();
    this.yaml =
        configure(
                YAMLMapper.builder(
                    YAMLFactory.builder()
                        .streamWriteConstraints(WRITE_CONSTRAINTS)
                        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                        .build()))
            .build();
    this.lenient = json.reader().without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  private static <M extends ObjectMapper, B extends MapperBuilder<M, B>> B configure(B builder) {
    // Kuma decodes with protobuf's JSON mapping: numbers may be quoted, but a number or boolean is
    // no string and a string or number is no boolean.
    builder.withCoercionConfig(
        LogicalType.Textual,
        c ->
            c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
    builder.withCoercionConfig(
        LogicalType.Boolean,
        c ->
            c.setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail));
    for (LogicalType number : new LogicalType[] {LogicalType.Integer, LogicalType.Float}) {
      builder.withCoercionConfig(
          number,
          c ->
              c.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                  .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail));
    }
    builder.withCoercionConfig(
        LogicalType.Enum,
        c ->
            c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail));
    return builder
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
        .addModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
  }

  public static ResourceCodec instance() {
    return INSTANCE;
  }

  /** The strict JSON mapper, for other Kuma-shaped bodies (insights, bootstrap requests...). */
  public ObjectMapper json() {
    return json;
  }

  public ObjectMapper yaml() {
    return yaml;
  }

  /** Parses a client's document for a resource of {@code type}. */
  public <S> ResourceDocument<S> decode(byte[] body, Format format, ResourceType type) {
    if (body == null
        || body.length == 0
        || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
      throw new MalformedResourceException(
          "", "request body is empty: expected a " + type.kumaName() + " resource");
    }
    ObjectMapper mapper = format == Format.YAML ? yaml : json;
    if (format == Format.YAML) {
      YamlShape.check(body);
    }
    JsonNode root;
    try {
      root = mapper.readTree(body);
    } catch (JsonProcessingException e) {
      throw new MalformedResourceException(
          "", "invalid " + format.name() + ": " + ParseErrors.describe(e) + location(e));
    } catch (IOException e) {
      // The bytes are not text in any encoding JSON allows (UTF-8, -16 or -32).
      throw new MalformedResourceException(
          "", "invalid " + format.name() + ": the body is not UTF-8 text");
    }
    if (root == null || !root.isObject()) {
      throw new MalformedResourceException(
          "", "must be an object with the fields of a " + type.kumaName());
    }
    ObjectNode object = (ObjectNode) root;
    String typeField = text(object, "type");
    String mesh = text(object, "mesh");
    String name = text(object, "name");
    SortedMap<String, String> labels = labels(object.get("labels"));
    time(object, "creationTime");
    time(object, "modificationTime");
    ObjectNode spec = object.deepCopy();
    spec.remove(META_FIELDS);
    @SuppressWarnings("unchecked")
    S typedSpec = (S) toSpec(mapper, spec, type.specClass());
    return new ResourceDocument<>(typeField, mesh, name, labels, typedSpec);
  }

  /**
   * Reads a spec stored by this control plane; unknown fields are ignored so that old data stays
   * readable.
   */
  public <S> S readStoredSpec(String storedJson, Class<S> specClass) {
    try {
      return lenient.readValue(storedJson, specClass);
    } catch (IOException e) {
      throw new UncheckedIOException("stored " + specClass.getSimpleName() + " is unreadable", e);
    }
  }

  /**
   * The spec as it will be stored, once it is known to read back as itself (as {@link
   * #readStoredSpec} reads it) and to render in both formats: what cannot be read back is never
   * stored. Throws a {@link MalformedResourceException} otherwise.
   */
  public String storableSpec(Object spec) {
    String stored;
    Object back;
    try {
      stored = json.writeValueAsString(spec);
      back = lenient.readValue(stored, spec.getClass());
      yaml.writeValueAsBytes(spec);
    } catch (IOException e) {
      throw new MalformedResourceException(
          "", "the resource cannot be stored: " + ParseErrors.describe(e));
    }
    if (!back.equals(spec)) {
      throw new MalformedResourceException(
          "",
          "the resource cannot be stored as given: a value does not read back as itself (a number"
              + " too large or not finite, such as .inf or .nan?)");
    }
    return stored;
  }

  public String writeSpec(Object spec) {
    try {
      return json.writeValueAsString(spec);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The resource in Kuma's JSON shape, as an object to embed or serialise. */
  public ObjectNode toTree(Resource<?> resource) {
    ResourceMeta meta = resource.meta();
    ObjectNode node = json.createObjectNode();
    node.put("type", meta.type().kumaName());
    if (meta.type().meshScoped()) {
      node.put("mesh", meta.mesh());
    }
    node.put("name", meta.name());
    if (meta.creationTime() != null) {
      node.put("creationTime", meta.creationTime().toString());
    }
    if (meta.modificationTime() != null) {
      node.put("modificationTime", meta.modificationTime().toString());
    }
    if (!meta.labels().isEmpty()) {
      node.set("labels", json.valueToTree(meta.labels()));
    }
    JsonNode spec = json.valueToTree(resource.spec());
    if (spec != null && spec.isObject()) {
      node.setAll((ObjectNode) spec);
    }
    return node;
  }

  public byte[] encode(Resource<?> resource, Format format) {
    return write(toTree(resource), format);
  }

  public byte[] write(Object value, Format format) {
    try {
      return (format == Format.YAML ? yaml : json).writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Object toSpec(ObjectMapper mapper, ObjectNode spec, Class<?> specClass) {
    try {
      return mapper.treeToValue(spec, specClass);
    } catch (UnrecognizedPropertyException e) {
      throw new MalformedResourceException(
          path(e).text(),
          "unknown field \"" + e.getPropertyName() + "\"" + known(e.getKnownPropertyIds()));
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new MalformedResourceException(
          path(e).text(),
          cause instanceof IllegalArgumentException && cause.getMessage() != null
              ? UserMessages.withoutClassNames(cause.getMessage())
              : "invalid value");
    } catch (MismatchedInputException e) {
      throw new MalformedResourceException(path(e).text(), expectation(e.getTargetType(), e));
    } catch (JsonMappingException e) {
      throw new MalformedResourceException(
          path(e).text(), "invalid value: " + ParseErrors.describe(e));
    } catch (JsonProcessingException e) {
      if (e.getCause() instanceof InputCoercionException) {
        throw new MalformedResourceException("", "number out of range");
      }
      throw new MalformedResourceException("", "invalid value: " + ParseErrors.describe(e));
    }
  }

  /** Turns Jackson's path into Kuma's notation: map keys in brackets, list indexes in brackets. */
  private static FieldPath path(JsonMappingException e) {
    FieldPath path = FieldPath.root();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getIndex() >= 0) {
        path = path.index(ref.getIndex());
      } else if (ref.getFrom() instanceof Map<?, ?>) {
        path = path.key(ref.getFieldName());
      } else if (ref.getFieldName() != null) {
        path = path.field(ref.getFieldName());
      }
    }
    return path;
  }

  private static String expectation(Class<?> target, JsonMappingException e) {
    if (target == null) {
      return "invalid value";
    }
    if (target == Integer.class
        || target == int.class
        || target == Long.class
        || target == long.class) {
      if (e instanceof InvalidFormatException f && f.getValue() instanceof Number) {
        return "must be an integer in range";
      }
      return "must be an integer";
    }
    if (target == String.class) {
      return "must be a string";
    }
    if (target == Boolean.class || target == boolean.class) {
      return "must be a boolean";
    }
    if (target.isEnum()) {
      StringBuilder values = new StringBuilder();
      for (Object constant : target.getEnumConstants()) {
        values.append(values.isEmpty() ? "" : ", ").append(enumName(constant));
      }
      return "must be one of: " + values;
    }
    if (Collection.class.isAssignableFrom(target)) {
      return "must be a list";
    }
    return "must be an object";
  }

  private static String enumName(Object constant) {
    try {
      var property =
          constant
              .getClass()
              .getField(((Enum<?>) constant).name())
              .getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
      return property != null ? property.value() : ((Enum<?>) constant).name();
    } catch (NoSuchFieldException e) {
      return constant.toString();
    }
  }

  private static String known(Collection<Object> known) {
    if (known == null || known.isEmpty()) {
      return "";
    }
    TreeMap<String, Boolean> sorted = new TreeMap<>();
    known.forEach(k -> sorted.put(String.valueOf(k), true));
    return "; known fields: " + String.join(", ", sorted.keySet());
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null
        ? ""
        : " (line "
            + e.getLocation().getLineNr()
            + ", column "
            + e.getLocation().getColumnNr()
            + ")";
  }

  private static String text(ObjectNode object, String field) {
    JsonNode node = object.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new MalformedResourceException(field, "must be a string");
    }
    return node.asText();
  }

  private static void time(ObjectNode object, String field) {
    // Accepted so that a resource read from the API can be sent back as it is; the store sets the
    // times.
    JsonNode node = object.get(field);
    if (node != null && !node.isNull() && !node.isTextual()) {
      throw new MalformedResourceException(field, "must be a string");
    }
  }

  private static SortedMap<String, String> labels(JsonNode node) {
    TreeMap<String, String> labels = new TreeMap<>();
    if (node == null || node.isNull()) {
      return labels;
    }
    if (!node.isObject()) {
      throw new MalformedResourceException("labels", "must be an object of strings");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> label = it.next();
      if (!label.getValue().isTextual()) {
        throw new MalformedResourceException(
            FieldPath.of("labels").key(label.getKey()).text(), "must be a string");
      }
      labels.put(label.getKey(), label.getValue().asText());
    }
    return labels;
  }
}

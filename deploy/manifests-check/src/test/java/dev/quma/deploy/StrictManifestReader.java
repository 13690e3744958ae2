package dev.quma.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads rendered manifests into fabric8's typed Kubernetes model, refusing anything the API server
 * would not accept as written: an unknown field (a typo such as {@code replica:} or {@code
 * containerport}), a wrong type, a number where the API wants a string (an unquoted annotation
 * value), or a kind this project does not deploy.
 *
 * <p>fabric8's classes swallow unknown fields into {@code additionalProperties} (an any-setter), so
 * FAIL_ON_UNKNOWN_PROPERTIES alone would never fire: the any-setter is taken off every bean.
 */
final class StrictManifestReader {

  /** The kinds the manifests may contain, by {@code apiVersion/kind}. */
  private static final Map<String, Class<? extends HasMetadata>> KINDS =
      Map.ofEntries(
          Map.entry("v1/Namespace", Namespace.class),
          Map.entry("v1/ConfigMap", ConfigMap.class),
          Map.entry("v1/Secret", Secret.class),
          Map.entry("v1/Service", Service.class),
          Map.entry("apps/v1/Deployment", Deployment.class),
          Map.entry("apps/v1/StatefulSet", StatefulSet.class),
          Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
          Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
          Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
          Map.entry("serving.knative.dev/v1/Service", io.fabric8.knative.serving.v1.Service.class));

  private final ObjectMapper yaml = new YAMLMapper(new YAMLFactory());
  private final ObjectMapper strict = strictMapper();

  /** Every document of a multi-document YAML stream, typed; the first refusal is thrown. */
  List<HasMetadata> read(String multiDocumentYaml) {
    List<HasMetadata> objects = new ArrayList<>();
    try (var parser = yaml.createParser(multiDocumentYaml)) {
      var documents = yaml.readValues(parser, JsonNode.class);
      int index = 0;
      while (hasNext(documents)) {
        JsonNode document = next(documents);
        index++;
        if (document == null || document.isNull() || document.isMissingNode()) {
          continue;
        }
        objects.add(readOne(document, index));
      }
    } catch (IOException e) {
      throw new ManifestRejected("not YAML: " + e.getMessage(), e);
    }
    return objects;
  }

  /** The iterator reports bad YAML unchecked; it is a rejection like any other. */
  private static boolean hasNext(java.util.Iterator<JsonNode> documents) {
    try {
      return documents.hasNext();
    } catch (RuntimeException e) {
      throw new ManifestRejected("not YAML: " + e.getMessage(), e);
    }
  }

  private static JsonNode next(java.util.Iterator<JsonNode> documents) {
    try {
      return documents.next();
    } catch (RuntimeException e) {
      throw new ManifestRejected("not YAML: " + e.getMessage(), e);
    }
  }

  private HasMetadata readOne(JsonNode document, int index) {
    String apiVersion = document.path("apiVersion").asText("");
    String kind = document.path("kind").asText("");
    String where =
        "document "
            + index
            + " ("
            + kind
            + " "
            + document.path("metadata").path("name").asText("?")
            + ")";
    Class<? extends HasMetadata> type = KINDS.get(apiVersion + "/" + kind);
    if (type == null) {
      throw new ManifestRejected(
          where
              + ": apiVersion/kind "
              + apiVersion
              + "/"
              + kind
              + " is not one this project deploys");
    }
    try {
      return strict.treeToValue(document, type);
    } catch (JsonProcessingException e) {
      throw new ManifestRejected(where + ": " + e.getOriginalMessage() + " at " + path(e), e);
    }
  }

  private static String path(JsonProcessingException e) {
    if (e instanceof com.fasterxml.jackson.databind.JsonMappingException mapping) {
      StringBuilder path = new StringBuilder();
      for (var reference : mapping.getPath()) {
        if (reference.getFieldName() != null) {
          path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
        } else if (reference.getIndex() >= 0) {
          path.append('[').append(reference.getIndex()).append(']');
        }
      }
      return path.toString();
    }
    return "?";
  }

  private static ObjectMapper strictMapper() {
    SimpleModule noAnySetter = new SimpleModule("no-any-setter");
    noAnySetter.setDeserializerModifier(
        new BeanDeserializerModifier() {
          @Override
          public BeanDeserializerBuilder updateBuilder(
              DeserializationConfig config,
              BeanDescription description,
              BeanDeserializerBuilder builder) {
            builder.setAnySetter(null);
            builder.setIgnoreUnknownProperties(false);
            return builder;
          }
        });
    ObjectMapper mapper =
        new ObjectMapper()
            .registerModule(noAnySetter)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    // The API server refuses a number or a boolean where it wants a string (e.g. an annotation
    // written `prometheus.io/port: 5681`); Jackson would quietly turn it into one.
    for (CoercionInputShape shape :
        List.of(CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean)) {
      mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
    }
    return mapper;
  }

  /** A manifest the Kubernetes API would not accept as written. */
  static final class ManifestRejected extends RuntimeException {
    ManifestRejected(String message) {
      super(message);
    }

    ManifestRejected(String message, Throwable cause) {
      super(message, cause);
    }
  }
}

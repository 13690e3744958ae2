package dev.quma.bootstrap.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.quma.envoyrules.EnvoyRules;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;

/**
 * Envoy's rules (the envoy-rules module) applied to the bootstraps this service gives out: to the
 * message, and to the text an agent writes for Envoy, read back as Envoy reads it.
 */
public final class BootstrapRules {
  private static final ObjectMapper JSON = new ObjectMapper();

  private BootstrapRules() {}

  public static void assertValid(Bootstrap bootstrap) {
    assertThat(EnvoyRules.checkBootstrap(bootstrap)).as("Envoy's rules").isEmpty();
  }

  /** A bootstrap as YAML or JSON text (JSON is YAML too). */
  public static void assertValid(String text) {
    try {
      String json = JSON.writeValueAsString(new YAMLMapper().readTree(text));
      assertValid(EnvoyRules.parseBootstrap(json));
    } catch (IOException e) {
      throw new UncheckedIOException("not a bootstrap Envoy can read: " + e.getMessage(), e);
    }
  }

  /**
   * Judges every bootstrap a test receives over HTTP: each 200 answer of {@code POST /bootstrap},
   * YAML, JSON or Kuma's JSON envelope (the bootstrap in base64 under {@code bootstrap}).
   */
  public static Filter onEveryAnswer() {
    return new Filter() {
      @Override
      public Response filter(
          FilterableRequestSpecification request,
          FilterableResponseSpecification response,
          FilterContext context) {
        Response answer = context.next(request, response);
        if (request.getURI().contains("/bootstrap") && answer.statusCode() == 200) {
          assertValid(bootstrapText(answer.asString()));
        }
        return answer;
      }
    };
  }

  private static String bootstrapText(String body) {
    try {
      var tree = new YAMLMapper().readTree(body);
      return tree.has("bootstrap") && tree.has("kumaSidecarConfiguration")
          ? new String(Base64.getDecoder().decode(tree.get("bootstrap").asText()))
          : body;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.quma.bootstrap.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quma.bootstrap.envoy.BootstrapInput;
import dev.quma.bootstrap.envoy.BootstrapRenderer;
import dev.quma.bootstrap.envoy.EnvoyBootstrapFactory;
import dev.quma.core.admission.AdmittedDataplane;
import dev.quma.core.admission.DataplaneAdmission;
import dev.quma.http.errors.ApiException;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * Kuma's {@code POST /bootstrap}. With {@code Accept: application/json} the answer is Kuma's
 * envelope ({@code bootstrap}: the YAML bootstrap as base64, and {@code kumaSidecarConfiguration});
 * with {@code ?format=json} the bootstrap itself as JSON; otherwise the bootstrap as YAML.
 */
@Path("/bootstrap")
public class BootstrapResource {
  static final String YAML = "application/yaml";

  private final DataplaneAdmission admission;
  private final EnvoyBootstrapFactory factory;
  private final ObjectMapper json;
  private final BootstrapMetrics metrics;

  public BootstrapResource(
      DataplaneAdmission admission,
      EnvoyBootstrapFactory factory,
      ObjectMapper json,
      BootstrapMetrics metrics) {
    this.admission = admission;
    this.factory = factory;
    this.json = json;
    this.metrics = metrics;
  }

  @POST
  public Uni<Response> bootstrap(
      byte[] body,
      @HeaderParam(HttpHeaders.ACCEPT) String accept,
      @QueryParam("format") String format) {
    BootstrapRequest request;
    try {
      request = parse(body);
    } catch (ApiException e) {
      return Uni.createFrom().failure(e);
    }
    return admission
        .admit(request.admission())
        .onFailure()
        .transform(AdmissionAnswers::http)
        .map(
            admitted -> {
              Response response = answer(request, admitted, accept, format);
              metrics.served(admitted.direct());
              return response;
            })
        .onFailure()
        .invoke(failure -> metrics.refused(request, failure));
  }

  private Response answer(
      BootstrapRequest request, AdmittedDataplane admitted, String accept, String format) {
    Bootstrap bootstrap =
        factory.build(
            new BootstrapInput(
                admitted.resource(),
                admitted.direct(),
                request.dataplaneToken(),
                request.adminPort(),
                request.version(),
                request.readinessPort(),
                // Every bootstrap starts a new proxy instance: an Envoy (re)started from it.
                UUID.randomUUID().toString()));
    if ("json".equalsIgnoreCase(format)) {
      return Response.ok(BootstrapRenderer.json(bootstrap), MediaType.APPLICATION_JSON_TYPE)
          .build();
    }
    String yaml = BootstrapRenderer.yaml(bootstrap);
    if (accept != null && accept.contains(MediaType.APPLICATION_JSON)) {
      ObjectNode envelope = json.createObjectNode();
      envelope.put(
          "bootstrap", Base64.getEncoder().encodeToString(yaml.getBytes(StandardCharsets.UTF_8)));
      ObjectNode sidecar = envelope.putObject("kumaSidecarConfiguration");
      sidecar
          .putObject("networking")
          .put("address", admitted.spec().networking().address())
          .put("isUsingTransparentProxy", false);
      sidecar.putObject("metrics").putArray("aggregate");
      return Response.ok(envelope.toString(), MediaType.APPLICATION_JSON_TYPE).build();
    }
    return Response.ok(yaml, YAML).build();
  }

  private BootstrapRequest parse(byte[] body) {
    if (body == null || body.length == 0) {
      throw new ApiException(
          400, AdmissionAnswers.TITLE, "the request body is empty: send a BootstrapRequest (JSON)");
    }
    try {
      BootstrapRequest request = json.readValue(body, BootstrapRequest.class);
      if (request == null) {
        throw new ApiException(
            400, AdmissionAnswers.TITLE, "the request body must be a JSON object");
      }
      return request;
    } catch (JsonProcessingException e) {
      throw new ApiException(
          400,
          AdmissionAnswers.TITLE,
          "the request body is not a valid BootstrapRequest: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      // Bytes that are not text in any encoding JSON allows (a byte order mark or NULs make the
      // parser guess UTF-16 or UTF-32, and then fail on the characters).
      throw new ApiException(
          400,
          AdmissionAnswers.TITLE,
          "the request body is not a valid BootstrapRequest: it is not UTF-8 JSON text");
    }
  }
}

package dev.quma.tokens.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quma.core.model.Dataplane;
import dev.quma.core.model.ProxyType;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.tokens.DataplaneTokenVerifier;
import dev.quma.core.tokens.VerifiedDataplaneToken;
import dev.quma.core.validation.FieldPath;
import dev.quma.core.validation.MetaValidator;
import dev.quma.core.validation.Violations;
import dev.quma.http.errors.ApiException;
import dev.quma.http.errors.Errors;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;

/**
 * {@code POST /tokens/dataplane/verify}: checks a token exactly as the bootstrap and xDS tiers will
 * (the same mesh-core verifier, so Redis only), against the stored Dataplane of that name when
 * there is one. For operators: "would this proxy be let in, and if not, why?". Answers 200 with
 * what the token binds, or 401/403 with the refusal's reason.
 */
@Path("/tokens/dataplane/verify")
public class VerificationResource {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TITLE = "Token refused";

  /** What a valid token binds, and whether the tags were checked against a stored Dataplane. */
  public record Verified(VerifiedDataplaneToken token, boolean checkedAgainstStoredDataplane) {}

  private final DataplaneTokenVerifier verifier;
  private final ResourceStore store;

  public VerificationResource(DataplaneTokenVerifier verifier, ResourceStore store) {
    this.verifier = verifier;
    this.store = store;
  }

  private record Request(String token, String mesh, String name, ProxyType type) {}

  @POST
  @Consumes(MediaType.WILDCARD)
  @Produces(MediaType.APPLICATION_JSON)
  public Uni<Verified> verify(byte[] body) {
    Request request = read(body);
    return store
        .find(ResourceType.DATAPLANE, request.mesh(), request.name(), Dataplane.class)
        .flatMap(
            stored ->
                verifier
                    .verify(
                        request.token(),
                        request.mesh(),
                        request.name(),
                        request.type(),
                        stored.map(r -> r.spec()).orElse(null))
                    .map(token -> new Verified(token, stored.isPresent())))
        .onFailure()
        .transform(Errors.titled(TITLE));
  }

  private static Request read(byte[] body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      root = null;
    }
    if (root == null || !root.isObject()) {
      throw new ApiException(400, "Invalid request", "the request body must be a JSON object");
    }
    Violations violations = new Violations();
    String token = text(root, "token");
    String mesh = text(root, "mesh");
    String name = text(root, "name");
    String type = text(root, "type");
    if (token.isEmpty()) {
      violations.add(FieldPath.of("token"), "cannot be empty");
    }
    if (!MetaValidator.isMeshReference(mesh)) {
      violations.add(FieldPath.of("mesh"), "must be a mesh name");
    }
    if (!MetaValidator.isIdentifier(name)) {
      violations.add(FieldPath.of("name"), "must be the proxy's name");
    }
    ProxyType proxyType =
        type.isEmpty() ? ProxyType.DATAPLANE : ProxyType.fromWireName(type).orElse(null);
    if (proxyType == null) {
      violations.add(FieldPath.of("type"), type + " is not a valid proxy type");
    }
    try {
      violations.throwIfAny();
    } catch (RuntimeException e) {
      throw (RuntimeException) Errors.translate(e, "Invalid request");
    }
    return new Request(token, mesh, name, proxyType);
  }

  private static String text(JsonNode root, String field) {
    JsonNode value = root.get(field);
    return value != null && value.isTextual() ? value.textValue() : "";
  }
}

package dev.quma.tokens.revoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quma.core.validation.MetaValidator;
import dev.quma.http.auth.CurrentCaller;
import dev.quma.http.errors.ApiException;
import dev.quma.http.errors.KumaError;
import dev.quma.tokens.issue.TokenErrors;
import dev.quma.tokens.ledger.Jtis;
import dev.quma.tokens.runtime.RequestContext;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code POST /tokens/dataplane/{mesh}/revocations} with {@code {"jti": "..."}} revokes one token,
 * with {@code {"name": "redis-1"}} every active token the ledger has for that proxy. {@code GET}
 * lists the mesh's revoked ids.
 */
@Path("/tokens/dataplane/{mesh}/revocations")
@Produces(MediaType.APPLICATION_JSON)
public class RevocationsResource {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Revoker revoker;
  private final CurrentCaller caller;

  public RevocationsResource(Revoker revoker, CurrentCaller caller) {
    this.revoker = revoker;
    this.caller = caller;
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  public Uni<Revoker.Result> revoke(@PathParam("mesh") String mesh, byte[] body) {
    JsonNode request = read(body);
    JsonNode jti = request.get("jti");
    JsonNode name = request.get("name");
    if ((jti == null) == (name == null)) {
      throw invalid("", "give either \"jti\" (one token) or \"name\" (every token of a proxy)");
    }
    String by = caller.get().name();
    Uni<Revoker.Result> result;
    if (jti != null) {
      if (!jti.isTextual()) {
        throw invalid("jti", "must be a string");
      }
      result =
          revoker.revokeIds(
              mesh,
              List.of(Jtis.parse(jti.textValue(), Revoker.TITLE)),
              by,
              RequestContext.current());
    } else {
      // Only a valid name can have tokens (issuance checks it); anything else, a NUL included
      // (which the ledger's PostgreSQL cannot even compare), is refused before the ledger is read.
      if (!name.isTextual() || !MetaValidator.isIdentifier(name.textValue())) {
        throw invalid("name", "must be a proxy name");
      }
      result = revoker.revokeName(mesh, name.textValue(), by, RequestContext.current());
    }
    return result.onFailure().transform(TokenErrors.titled(Revoker.TITLE));
  }

  @GET
  public Uni<Map<String, Object>> list(@PathParam("mesh") String mesh) {
    return revoker
        .revoked(mesh)
        .map(ids -> Map.<String, Object>of("mesh", mesh, "revoked", new TreeSet<>(ids)));
  }

  private static JsonNode read(byte[] body) {
    try {
      JsonNode node = JSON.readTree(body);
      if (node != null && node.isObject()) {
        return node;
      }
    } catch (IOException e) {
      // reported below
    }
    throw new ApiException(400, Revoker.TITLE, "the request body must be a JSON object");
  }

  private static ApiException invalid(String field, String message) {
    return new ApiException(
        400, Revoker.TITLE, "Request is not valid", List.of(new KumaError.Cause(field, message)));
  }
}

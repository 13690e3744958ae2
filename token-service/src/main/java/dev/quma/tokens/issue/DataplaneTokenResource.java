package dev.quma.tokens.issue;

import dev.quma.http.auth.CurrentCaller;
import dev.quma.http.errors.Errors;
import dev.quma.tokens.TokenServiceConfig;
import dev.quma.tokens.runtime.RequestContext;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Kuma's {@code POST /tokens/dataplane}: answers the bare JWT as {@code text/plain}. */
@Path("/tokens/dataplane")
public class DataplaneTokenResource {
  static final String TITLE = "Could not issue a token";

  private final TokenIssuer issuer;
  private final TokenServiceConfig config;
  private final CurrentCaller caller;

  public DataplaneTokenResource(
      TokenIssuer issuer, TokenServiceConfig config, CurrentCaller caller) {
    this.issuer = issuer;
    this.config = config;
    this.caller = caller;
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  @Produces({MediaType.TEXT_PLAIN, MediaType.APPLICATION_JSON})
  public Uni<Response> issue(byte[] body) {
    DataplaneTokenRequest request;
    try {
      request = DataplaneTokenRequest.parse(body, config.defaultValidFor(), config.maxValidFor());
    } catch (RuntimeException e) {
      return Uni.createFrom().failure(Errors.translate(e, "Invalid request"));
    }
    return issuer
        .issue(request, caller.get().name(), RequestContext.current())
        .map(token -> Response.ok(token, MediaType.TEXT_PLAIN_TYPE).build())
        .onFailure()
        .transform(TokenErrors.titled(TITLE));
  }
}

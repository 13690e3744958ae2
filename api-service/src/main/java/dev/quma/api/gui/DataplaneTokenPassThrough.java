package dev.quma.api.gui;

import dev.quma.http.errors.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Kuma's {@code POST /tokens/dataplane} on the API's address, where {@code kumactl generate
 * dataplane-token} sends it. The token-service issues the token, as on its own port: the body goes
 * there unchanged, with the caller's credentials as {@link RelayedCredentials} gives them, and its
 * answer (the JWT as text, or Kuma's error body) comes back unchanged. Issuing needs an admin here
 * as there ({@code ApiAccessPolicy}: every write is for admins), and no caller gains a right: the
 * token-service judges the caller's own token, or the local admin's, exactly as it would directly.
 */
@Path("/tokens/dataplane")
public class DataplaneTokenPassThrough {
  /**
   * A token request is a few hundred bytes. Larger ones are refused here: the token-service takes
   * at most 64 KiB and drops the connection on more, which would look like an outage (502).
   */
  static final int MAX_BODY = 16 * 1024;

  private final TokenServiceClient tokenService;
  private final RelayedCredentials credentials;

  public DataplaneTokenPassThrough(
      TokenServiceClient tokenService, RelayedCredentials credentials) {
    this.tokenService = tokenService;
    this.credentials = credentials;
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  public Uni<Response> issue(
      byte[] body, @Context HttpHeaders headers, @Context HttpServerRequest request) {
    if (body != null && body.length > MAX_BODY) {
      throw new ApiException(
          413,
          "Request body too large",
          "a token request is at most "
              + MAX_BODY
              + " bytes: {\"name\": ..., \"mesh\": ..., \"tags\": ..., \"validFor\": ...}");
    }
    String accept = headers.getHeaderString(HttpHeaders.ACCEPT);
    String chain = RelayedCredentials.callerChain(headers, request);
    return credentials
        .authorization(headers)
        .flatMap(
            authorization ->
                tokenService.forward(
                    HttpMethod.POST,
                    "/tokens/dataplane",
                    accept == null || accept.isBlank() ? MediaType.WILDCARD : accept,
                    authorization,
                    chain,
                    body == null ? new byte[0] : body));
  }
}

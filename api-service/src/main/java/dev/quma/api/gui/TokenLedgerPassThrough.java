package dev.quma.api.gui;

import dev.quma.http.errors.ApiException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;

/**
 * The two token-service calls the GUI's ledger page makes, on the GUI's own origin: {@code GET
 * /gui/api/tokens/dataplane/{mesh}/ledger} and {@code POST .../revocations}. Only these are
 * forwarded here (issuing is Kuma's {@code POST /tokens/dataplane}, {@link
 * DataplaneTokenPassThrough}; signing keys are not forwarded), with the caller's credentials as
 * {@link RelayedCredentials} gives them: a browser on the control plane's host is admin here and
 * there, so the GUI does not say "Signed in as admin" on one line and "the ledger is for admins" on
 * the next.
 */
@Path("/gui/api/tokens/dataplane/{mesh}")
public class TokenLedgerPassThrough {
  /**
   * A revocation body is a few dozen bytes. Larger ones are refused here: the token-service takes
   * at most 64 KiB and drops the connection on more, which would look like an outage (502).
   */
  static final int MAX_REVOCATION_BODY = 4096;

  private final TokenServiceClient tokenService;
  private final RelayedCredentials credentials;

  public TokenLedgerPassThrough(TokenServiceClient tokenService, RelayedCredentials credentials) {
    this.tokenService = tokenService;
    this.credentials = credentials;
  }

  @GET
  @Path("/ledger")
  public Uni<Response> ledger(
      @PathParam("mesh") String mesh,
      @QueryParam("name") String name,
      @QueryParam("offset") String offset,
      @QueryParam("size") String size,
      @Context HttpHeaders headers,
      @Context HttpServerRequest request) {
    StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
    add(query, "name", name);
    add(query, "offset", offset);
    add(query, "size", size);
    String chain = RelayedCredentials.callerChain(headers, request);
    return credentials
        .authorization(headers)
        .flatMap(
            authorization ->
                tokenService.forward(
                    HttpMethod.GET,
                    "/tokens/dataplane/" + encode(mesh) + "/ledger" + query,
                    authorization,
                    chain,
                    null));
  }

  @POST
  @Path("/revocations")
  @Consumes(MediaType.WILDCARD)
  public Uni<Response> revoke(
      @PathParam("mesh") String mesh,
      byte[] body,
      @Context HttpHeaders headers,
      @Context HttpServerRequest request) {
    if (body != null && body.length > MAX_REVOCATION_BODY) {
      throw new ApiException(
          413,
          "Request body too large",
          "a revocation body is at most " + MAX_REVOCATION_BODY + " bytes: {\"jti\": \"...\"}");
    }
    String chain = RelayedCredentials.callerChain(headers, request);
    return credentials
        .authorization(headers)
        .flatMap(
            authorization ->
                tokenService.forward(
                    HttpMethod.POST,
                    "/tokens/dataplane/" + encode(mesh) + "/revocations",
                    authorization,
                    chain,
                    body == null ? new byte[0] : body));
  }

  private static void add(StringJoiner query, String name, String value) {
    if (value != null && !value.isEmpty()) {
      query.add(name + "=" + encode(value));
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}

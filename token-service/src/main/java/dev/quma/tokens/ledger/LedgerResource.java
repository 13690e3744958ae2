package dev.quma.tokens.ledger;

import dev.quma.http.errors.ApiException;
import dev.quma.http.errors.Errors;
import dev.quma.http.errors.KumaError;
import dev.quma.tokens.TokenServiceConfig;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The issuance ledger of a mesh: {@code GET /tokens/dataplane/{mesh}/ledger} (newest first; {@code
 * name} filters by exact proxy name; Kuma's {@code offset}/{@code size} paging and list shape) and
 * {@code GET .../ledger/{jti}}. A deleted mesh's tokens stay listed: the ledger is history.
 */
@Path("/tokens/dataplane/{mesh}/ledger")
@Produces(MediaType.APPLICATION_JSON)
public class LedgerResource {
  private final TokenLedger ledger;
  private final TokenServiceConfig config;

  public LedgerResource(TokenLedger ledger, TokenServiceConfig config) {
    this.ledger = ledger;
    this.config = config;
  }

  @GET
  public Uni<Map<String, Object>> list(
      @PathParam("mesh") String mesh,
      @QueryParam("name") String name,
      @QueryParam("offset") String offsetParam,
      @QueryParam("size") String sizeParam,
      @Context UriInfo uri) {
    long offset = number(offsetParam, 0, "offset", Long.MAX_VALUE);
    int size = (int) number(sizeParam, 100, "size", config.maxPageSize());
    if (size < 1) {
      throw invalid("size", "must be a positive number");
    }
    return ledger
        .page(mesh, name == null || name.isEmpty() ? null : name, offset, size)
        .map(
            page -> {
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("total", page.total());
              body.put("items", page.items().stream().map(LedgerEntry::of).toList());
              body.put(
                  "next",
                  offset + size < page.total()
                      ? uri.getRequestUriBuilder()
                          .replaceQueryParam("offset", offset + size)
                          .replaceQueryParam("size", size)
                          .build()
                          .toString()
                      : null);
              return body;
            })
        .onFailure()
        .transform(Errors.titled(Errors.RETRIEVE_MANY));
  }

  @GET
  @Path("/{jti}")
  public Uni<LedgerEntry> get(@PathParam("mesh") String mesh, @PathParam("jti") String jti) {
    UUID id = Jtis.parse(jti, Errors.RETRIEVE_ONE);
    return ledger
        .find(mesh, id)
        .map(
            row -> {
              if (row == null) {
                throw new ApiException(
                    404,
                    Errors.RETRIEVE_ONE,
                    "the ledger has no token " + jti + " in mesh \"" + mesh + "\"");
              }
              return LedgerEntry.of(row);
            });
  }

  private static long number(String text, long fallback, String field, long max) {
    if (text == null || text.isEmpty()) {
      return fallback;
    }
    long value;
    try {
      value = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw invalid(field, "Invalid format");
    }
    if (value < 0) {
      throw invalid(field, "must not be negative");
    }
    if (value > max) {
      throw invalid(field, "Invalid page size of " + value + ". Maximum page size is " + max);
    }
    return value;
  }

  private static ApiException invalid(String field, String message) {
    return new ApiException(
        400,
        Errors.RETRIEVE_MANY,
        "Invalid " + field,
        List.of(new KumaError.Cause(field, message)));
  }
}

package dev.quma.tokens.keys;

import dev.quma.core.auth.PemKeys;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.tokens.DataplaneTokenNames;
import dev.quma.core.tokens.DataplaneTokenVerifier;
import dev.quma.core.tokens.SigningKeyInfo;
import dev.quma.core.tokens.SigningKeyManager;
import dev.quma.http.errors.ApiException;
import dev.quma.http.errors.Errors;
import dev.quma.http.errors.KumaError;
import dev.quma.tokens.issue.TokenErrors;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A mesh's signing keys: {@code GET} lists them (public halves only), {@code POST} rotates (a new
 * key with the next serial signs from then on), {@code DELETE .../{serial}} removes one, which
 * invalidates every token it signed.
 */
@Path("/tokens/dataplane/{mesh}/signing-keys")
@Produces(MediaType.APPLICATION_JSON)
public class SigningKeysResource {

  /** A key as the API shows it: never the private half. */
  public record KeyView(
      int serial,
      String name,
      Instant creationTime,
      boolean signing,
      boolean encrypted,
      String publicKey) {}

  private final SigningKeyManager keys;
  private final ResourceStore store;
  private final DataplaneTokenVerifier verifier;

  public SigningKeysResource(
      SigningKeyManager keys, ResourceStore store, DataplaneTokenVerifier verifier) {
    this.keys = keys;
    this.store = store;
    this.verifier = verifier;
  }

  @GET
  public Uni<Map<String, Object>> list(@PathParam("mesh") String mesh) {
    return existingMesh(mesh, Errors.RETRIEVE_MANY)
        .flatMap(x -> keys.keys(mesh))
        .map(
            list -> {
              Map<String, Object> body = new LinkedHashMap<>();
              body.put("mesh", mesh);
              body.put("total", list.size());
              int signing = list.isEmpty() ? 0 : list.get(list.size() - 1).serial();
              body.put("items", list.stream().map(k -> view(k, k.serial() == signing)).toList());
              return body;
            });
  }

  @POST
  public Uni<Response> rotate(@PathParam("mesh") String mesh) {
    return keys.rotate(mesh)
        .map(key -> Response.status(201).entity(view(key, true)).build())
        .onFailure()
        .transform(TokenErrors.titled("Could not rotate the signing key"));
  }

  @DELETE
  @Path("/{serial}")
  public Uni<Map<String, Object>> remove(
      @PathParam("mesh") String mesh, @PathParam("serial") String serialText) {
    OptionalInt serial = DataplaneTokenNames.parseSerial(serialText);
    if (serial.isEmpty()) {
      throw new ApiException(
          400,
          Errors.DELETE,
          "Invalid serial number",
          List.of(new KumaError.Cause("serial", "must be a positive number")));
    }
    return keys.remove(mesh, serial.getAsInt())
        .invoke(() -> verifier.invalidate(mesh))
        .map(
            x -> Map.<String, Object>of("mesh", mesh, "serial", serial.getAsInt(), "removed", true))
        .onFailure()
        .transform(Errors.titled(Errors.DELETE));
  }

  private Uni<Void> existingMesh(String mesh, String title) {
    return store
        .find(ResourceType.MESH, null, mesh)
        .map(
            found -> {
              if (found.isEmpty()) {
                throw new ApiException(404, title, "mesh \"" + mesh + "\" is not found");
              }
              return null;
            });
  }

  private static KeyView view(SigningKeyInfo key, boolean signing) {
    return new KeyView(
        key.serial(),
        key.secretName(),
        key.creationTime(),
        signing,
        key.encrypted(),
        PemKeys.toPublicPem(key.publicKey()));
  }
}

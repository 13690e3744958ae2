package dev.quma.core.tls;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quma.core.codec.ResourceCodec;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceMeta;
import dev.quma.core.model.ResourceType;
import dev.quma.core.model.SecretData;
import dev.quma.core.store.ResourceConflictException;
import dev.quma.core.store.ResourceStore;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;

/**
 * Keeps the control plane's CA in the global secret {@code control-plane-ca} (admin-only, like
 * every secret): created once, by whichever replica of whichever service needs it first; a replica
 * that loses the race reads the winner's.
 */
public final class ControlPlaneCa {
  public static final String SECRET = "control-plane-ca";

  private final ResourceStore store;
  private final Clock clock;

  public ControlPlaneCa(ResourceStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  public Uni<CertificateAuthority> ensure() {
    return read()
        .flatMap(
            found -> {
              if (found != null) {
                return Uni.createFrom().item(found);
              }
              return Uni.createFrom()
                  .item(() -> CertificateAuthority.generate(clock.instant()))
                  .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                  .flatMap(
                      generated ->
                          store
                              .create(secret(generated))
                              .replaceWith(generated)
                              .onFailure(ResourceConflictException.class)
                              .recoverWithUni(this::read));
            });
  }

  /**
   * Puts {@code ca} back into a store that lost it (a wiped store), so that certificates already
   * issued and the trust Envoys were given stay valid; keeps the CA the store has, if any (another
   * replica restored it first, or made one). Answers the CA the store holds afterwards.
   */
  public Uni<CertificateAuthority> restore(CertificateAuthority ca) {
    return read()
        .flatMap(
            found ->
                found != null
                    ? Uni.createFrom().item(found)
                    : store
                        .create(secret(ca))
                        .replaceWith(ca)
                        .onFailure(ResourceConflictException.class)
                        .recoverWithUni(this::read));
  }

  private Uni<CertificateAuthority> read() {
    return store
        .find(ResourceType.GLOBAL_SECRET, null, SECRET, SecretData.class)
        .map(
            found -> {
              if (found.isEmpty()) {
                return null;
              }
              JsonNode bundle = decode(found.get().spec().data());
              return CertificateAuthority.parse(
                  bundle.get("certificate").asText(), bundle.get("key").asText());
            });
  }

  private static Resource<SecretData> secret(CertificateAuthority ca) {
    ObjectNode bundle = ResourceCodec.instance().json().createObjectNode();
    bundle.put("certificate", ca.certificatePem());
    bundle.put("key", ca.keyPem());
    String data =
        Base64.getEncoder().encodeToString(bundle.toString().getBytes(StandardCharsets.UTF_8));
    return new Resource<>(
        ResourceMeta.of(ResourceType.GLOBAL_SECRET, null, SECRET, Map.of()), new SecretData(data));
  }

  private static JsonNode decode(String data) {
    try {
      return ResourceCodec.instance().json().readTree(Base64.getDecoder().decode(data));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("the stored control plane CA is unreadable", e);
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

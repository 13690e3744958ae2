package dev.quma.xds.lifecycle;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.quma.core.codec.Format;
import dev.quma.core.codec.MalformedResourceException;
import dev.quma.core.codec.ResourceCodec;
import dev.quma.core.codec.ResourceDocument;
import dev.quma.core.model.Dataplane;
import dev.quma.core.model.Labels;
import dev.quma.core.model.ProxyType;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceMeta;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.MeshNotFoundException;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.tokens.DataplaneTokenVerifier;
import dev.quma.core.tokens.TokenRefusedException;
import dev.quma.core.validation.ResourceValidator;
import dev.quma.core.validation.ValidationException;
import dev.quma.xds.snapshot.ProxyKey;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.Status;
import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Decides whether a new stream may be served, from the node of its first request. Direct mode (the
 * node metadata carries {@code dataplane.resource}): the resource is validated, must be named like
 * the node, and is created or updated in the store, labelled as registered by the xDS tier.
 * Indirect mode: the Dataplane must already exist.
 *
 * <p>Either way the stream's dataplane token must be valid and bound to that dataplane (checked
 * against the offered resource before anything is written, or against the stored one), unless token
 * checks are turned off; a refused token writes nothing.
 */
public final class ProxyAdmission {
  static final String RESOURCE_METADATA = "dataplane.resource";
  static final String PROXY_TYPE_METADATA = "dataplane.proxyType";

  private final ResourceStore store;
  private final DataplaneTokenVerifier verifier;
  private final ResourceCodec codec = ResourceCodec.instance();

  /**
   * @param verifier checks each stream's dataplane token; null admits streams without one (only for
   *     local development, see {@code quma.xds.dataplane-authn})
   */
  public ProxyAdmission(ResourceStore store, DataplaneTokenVerifier verifier) {
    this.store = store;
    this.verifier = verifier;
  }

  public Uni<AdmittedProxy> admit(Node node, String token) {
    ProxyKey key;
    Resource<Dataplane> offered;
    try {
      key = ProxyKey.parse(node.getId());
      checkProxyType(node.getMetadata());
      offered = offeredResource(key, node.getMetadata());
    } catch (AdmissionException e) {
      return Uni.createFrom().failure(e);
    } catch (IllegalArgumentException e) {
      return Uni.createFrom()
          .failure(new AdmissionException(Status.Code.INVALID_ARGUMENT, e.getMessage()));
    }
    if (offered == null) {
      return indirect(key, token);
    }
    return verified(token, key, offered.spec()).flatMap(ignored -> direct(key, offered));
  }

  /** Succeeds when the token may stand for the dataplane {@code key} with {@code spec}. */
  private Uni<Void> verified(String token, ProxyKey key, Dataplane spec) {
    if (verifier == null) {
      return Uni.createFrom().voidItem();
    }
    if (token == null || token.isEmpty()) {
      return Uni.createFrom()
          .failure(
              new AdmissionException(
                  Status.Code.UNAUTHENTICATED,
                  "the stream carries no dataplane token: send it as the \"authorization\" metadata"
                      + " of the ADS stream (the bootstrap from bootstrap-service does)"));
    }
    return verifier
        .verify(token, key.mesh(), key.name(), ProxyType.DATAPLANE, spec)
        .replaceWithVoid()
        .onFailure(TokenRefusedException.class)
        .transform(
            e ->
                new AdmissionException(
                    ((TokenRefusedException) e).forbidden()
                        ? Status.Code.PERMISSION_DENIED
                        : Status.Code.UNAUTHENTICATED,
                    e.getMessage()));
  }

  private Uni<AdmittedProxy> indirect(ProxyKey key, String token) {
    return store
        .find(ResourceType.DATAPLANE, key.mesh(), key.name(), Dataplane.class)
        .flatMap(
            found -> {
              if (found.isEmpty()) {
                // The token is checked first (without tags, there is no spec to bind them to), so
                // that a caller without a valid token cannot probe which dataplanes exist.
                return verified(token, key, null)
                    .flatMap(
                        ignored ->
                            Uni.createFrom()
                                .<AdmittedProxy>failure(
                                    new AdmissionException(
                                        Status.Code.NOT_FOUND,
                                        "Dataplane \""
                                            + key.name()
                                            + "\" does not exist in mesh \""
                                            + key.mesh()
                                            + "\": create it through the API first (Indirect mode), or"
                                            + " start the proxy with its dataplane resource (Direct mode)")));
              }
              Resource<Dataplane> dataplane = found.get();
              return verified(token, key, dataplane.spec())
                  .replaceWith(
                      new AdmittedProxy(
                          key, dataplane.version(), dataplane.spec(), Labels.isDirect(dataplane)));
            });
  }

  /** Registers the proxy's own resource; a reconnect with an unchanged resource writes nothing. */
  private Uni<AdmittedProxy> direct(ProxyKey key, Resource<Dataplane> offered) {
    return store
        .find(ResourceType.DATAPLANE, key.mesh(), key.name(), Dataplane.class)
        .flatMap(
            existing -> {
              if (existing.isPresent()
                  && existing.get().spec().equals(offered.spec())
                  && Labels.isDirect(existing.get())) {
                return Uni.createFrom()
                    .item(
                        new AdmittedProxy(
                            key, existing.get().version(), existing.get().spec(), true));
              }
              TreeMap<String, String> labels =
                  new TreeMap<>(existing.map(r -> r.meta().labels()).orElse(new TreeMap<>()));
              labels.putAll(offered.meta().labels());
              labels.putAll(Labels.direct());
              Resource<Dataplane> registered =
                  new Resource<>(
                      ResourceMeta.of(ResourceType.DATAPLANE, key.mesh(), key.name(), labels),
                      offered.spec());
              return store
                  .put(registered, OptionalLong.empty())
                  .map(written -> new AdmittedProxy(key, written.version(), offered.spec(), true));
            })
        .onFailure(MeshNotFoundException.class)
        .transform(
            e ->
                new AdmissionException(
                    Status.Code.NOT_FOUND, "mesh \"" + key.mesh() + "\" does not exist"));
  }

  private Resource<Dataplane> offeredResource(ProxyKey key, Struct metadata) {
    Value value = metadata.getFieldsMap().get(RESOURCE_METADATA);
    if (value == null || value.getStringValue().isBlank()) {
      return null;
    }
    try {
      // Kuma's agent sends JSON; a YAML document is read too.
      String text = value.getStringValue().strip();
      ResourceDocument<Dataplane> document =
          codec.decode(
              text.getBytes(StandardCharsets.UTF_8),
              text.startsWith("{") ? Format.JSON : Format.YAML,
              ResourceType.DATAPLANE);
      if (!key.mesh().equals(document.mesh()) || !key.name().equals(document.name())) {
        throw new AdmissionException(
            Status.Code.INVALID_ARGUMENT,
            "the node id \""
                + key.nodeId()
                + "\" and the dataplane resource (mesh \""
                + document.mesh()
                + "\", name \""
                + document.name()
                + "\") must name the same dataplane");
      }
      Resource<Dataplane> resource = document.toResource(ResourceType.DATAPLANE);
      ResourceValidator.validate(resource);
      return resource;
    } catch (MalformedResourceException e) {
      throw new AdmissionException(
          Status.Code.INVALID_ARGUMENT,
          "the dataplane resource is malformed: "
              + (e.field().isEmpty() ? "" : e.field() + ": ")
              + e.getMessage());
    } catch (ValidationException e) {
      throw new AdmissionException(
          Status.Code.INVALID_ARGUMENT,
          "the dataplane resource is not valid: "
              + e.violations().stream()
                  .map(v -> v.field() + ": " + v.message())
                  .collect(Collectors.joining("; ")));
    }
  }

  private static void checkProxyType(Struct metadata) {
    Value type = metadata.getFieldsMap().get(PROXY_TYPE_METADATA);
    if (type != null
        && !type.getStringValue().isEmpty()
        && !type.getStringValue().equals("dataplane")) {
      throw new AdmissionException(
          Status.Code.UNIMPLEMENTED,
          "proxy type \"" + type.getStringValue() + "\" is not served yet; only \"dataplane\" is");
    }
  }
}

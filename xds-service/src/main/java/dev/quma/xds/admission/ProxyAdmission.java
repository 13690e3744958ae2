package dev.quma.xds.admission;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.quma.core.admission.AdmissionRefusedException;
import dev.quma.core.admission.AdmissionRequest;
import dev.quma.core.admission.AdmittedDataplane;
import dev.quma.core.admission.DataplaneAdmission;
import dev.quma.core.codec.MalformedResourceException;
import dev.quma.core.model.Dataplane;
import dev.quma.core.model.Labels;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceMeta;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.MeshNotFoundException;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.tokens.TokenRefusedException;
import dev.quma.core.validation.ValidationException;
import dev.quma.xds.snapshot.ProxyKey;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.Status;
import io.smallrye.mutiny.Uni;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The xDS edge of admission: reads the node of a stream's first request (its id {@code mesh.name},
 * {@code dataplane.resource} and {@code dataplane.proxyType} in its metadata, the stream's token),
 * lets mesh-core's {@link DataplaneAdmission} decide, answers a refusal with a gRPC status, and
 * registers a Direct proxy's resource, labelled as registered by the xDS tier.
 */
public final class ProxyAdmission {
  static final String RESOURCE_METADATA = "dataplane.resource";
  static final String PROXY_TYPE_METADATA = "dataplane.proxyType";

  /**
   * The proxy process's instance id (a new one for every bootstrap, so for every Envoy started),
   * which tells a reconnect of the same proxy from a second proxy under the same name.
   */
  public static final String PROXY_INSTANCE_METADATA = "quma.proxyInstance";

  private final ResourceStore store;
  private final DataplaneAdmission admission;

  public ProxyAdmission(ResourceStore store, DataplaneAdmission admission) {
    this.store = store;
    this.admission = admission;
  }

  public Uni<AdmittedProxy> admit(Node node, String token) {
    ProxyKey key;
    try {
      key = ProxyKey.parse(node.getId());
    } catch (IllegalArgumentException e) {
      return Uni.createFrom()
          .failure(new AdmissionException(Status.Code.INVALID_ARGUMENT, e.getMessage()));
    }
    return check(key, node, token)
        .flatMap(
            admitted -> {
              if (admitted.direct()) {
                return register(key, admitted);
              }
              Resource<Dataplane> stored = admitted.resource();
              return Uni.createFrom()
                  .item(
                      new AdmittedProxy(
                          key, stored.version(), stored.spec(), Labels.isDirect(stored)));
            });
  }

  /**
   * The same checks as {@link #admit} (request, token, store), refused with the same gRPC statuses,
   * without registering anything: for the proxy's other streams (health checks).
   */
  public Uni<AdmittedDataplane> check(Node node, String token) {
    try {
      return check(ProxyKey.parse(node.getId()), node, token);
    } catch (IllegalArgumentException e) {
      return Uni.createFrom()
          .failure(new AdmissionException(Status.Code.INVALID_ARGUMENT, e.getMessage()));
    }
  }

  private Uni<AdmittedDataplane> check(ProxyKey key, Node node, String token) {
    AdmissionRequest request =
        new AdmissionRequest(
            key.mesh(),
            key.name(),
            metadata(node.getMetadata(), PROXY_TYPE_METADATA),
            token,
            metadata(node.getMetadata(), RESOURCE_METADATA));
    return admission.admit(request).onFailure().transform(ProxyAdmission::refusal);
  }

  /** Registers the proxy's own resource; a reconnect with an unchanged resource writes nothing. */
  private Uni<AdmittedProxy> register(ProxyKey key, AdmittedDataplane admitted) {
    Resource<Dataplane> offered = admitted.offered();
    var existing = admitted.stored();
    if (existing.isPresent()
        && existing.get().spec().equals(offered.spec())
        && Labels.isDirect(existing.get())) {
      return Uni.createFrom()
          .item(
              new AdmittedProxy(
                  key,
                  existing.get().version(),
                  existing.get().spec(),
                  true,
                  existing.get().meta().labels()));
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
        .map(written -> new AdmittedProxy(key, written.version(), offered.spec(), true, labels))
        .onFailure(MeshNotFoundException.class)
        .transform(
            e ->
                new AdmissionException(
                    Status.Code.NOT_FOUND, "mesh \"" + key.mesh() + "\" does not exist"));
  }

  /** A refusal as the gRPC status the proxy gets; other failures pass (they are not its fault). */
  static Throwable refusal(Throwable error) {
    return switch (error) {
      case AdmissionRefusedException refused ->
          switch (refused.reason()) {
            case INVALID_REQUEST ->
                new AdmissionException(Status.Code.INVALID_ARGUMENT, refused.getMessage());
            case UNSUPPORTED_PROXY_TYPE ->
                new AdmissionException(Status.Code.UNIMPLEMENTED, refused.getMessage());
            case NO_TOKEN ->
                new AdmissionException(
                    Status.Code.UNAUTHENTICATED,
                    "the stream carries no dataplane token: send it as the \"authorization\""
                        + " metadata of the ADS stream (the bootstrap from bootstrap-service does)");
            case MESH_NOT_FOUND, DATAPLANE_NOT_FOUND ->
                new AdmissionException(Status.Code.NOT_FOUND, refused.getMessage());
            case NAME_IN_USE ->
                new AdmissionException(Status.Code.ALREADY_EXISTS, refused.getMessage());
          };
      case TokenRefusedException refused ->
          new AdmissionException(
              refused.forbidden() ? Status.Code.PERMISSION_DENIED : Status.Code.UNAUTHENTICATED,
              refused.getMessage());
      case MalformedResourceException malformed ->
          new AdmissionException(
              Status.Code.INVALID_ARGUMENT,
              "the dataplane resource is malformed: "
                  + (malformed.field().isEmpty() ? "" : malformed.field() + ": ")
                  + malformed.getMessage());
      case ValidationException invalid ->
          new AdmissionException(
              Status.Code.INVALID_ARGUMENT,
              "the dataplane resource is not valid: "
                  + invalid.violations().stream()
                      .map(v -> v.field() + ": " + v.message())
                      .collect(Collectors.joining("; ")));
      default -> error;
    };
  }

  /** The proxy instance id its node carries; null when it carries none. */
  public static String proxyInstance(Node node) {
    String instance = metadata(node.getMetadata(), PROXY_INSTANCE_METADATA);
    return instance == null || instance.isBlank() ? null : instance;
  }

  private static String metadata(Struct metadata, String field) {
    Value value = metadata.getFieldsMap().get(field);
    return value == null ? null : value.getStringValue();
  }
}

package dev.quma.core.admission;

import static dev.quma.core.admission.AdmissionRefusedException.Reason.DATAPLANE_NOT_FOUND;
import static dev.quma.core.admission.AdmissionRefusedException.Reason.INVALID_REQUEST;
import static dev.quma.core.admission.AdmissionRefusedException.Reason.MESH_NOT_FOUND;
import static dev.quma.core.admission.AdmissionRefusedException.Reason.NAME_IN_USE;
import static dev.quma.core.admission.AdmissionRefusedException.Reason.NO_TOKEN;
import static dev.quma.core.admission.AdmissionRefusedException.Reason.UNSUPPORTED_PROXY_TYPE;

import dev.quma.core.codec.Format;
import dev.quma.core.codec.ResourceCodec;
import dev.quma.core.codec.ResourceDocument;
import dev.quma.core.insight.ConnectedProxies;
import dev.quma.core.model.Dataplane;
import dev.quma.core.model.ProxyType;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.tokens.DataplaneTokenVerifier;
import dev.quma.core.validation.ResourceValidator;
import dev.quma.core.validation.Violation;
import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether a proxy may be served, and as which dataplane: the one decision the bootstrap
 * tier (before it answers a bootstrap) and the xDS tier (before it serves a stream) both make.
 * Nothing is written; the xDS tier registers a Direct dataplane after this.
 *
 * <ol>
 *   <li>The request itself: a served proxy type; the offered resource (Direct mode) decoded and
 *       valid; the dataplane named, by the request or its resource, and not two different ones; a
 *       token, when tokens are checked.
 *   <li>The token is verified before anything about the store is revealed: against the offered
 *       resource (Direct), else the stored dataplane (Indirect), else without tags (a dataplane
 *       that does not exist), so that without a valid token nobody learns which meshes or
 *       dataplanes exist.
 *   <li>Then the store: the mesh must exist; Indirect mode needs the stored dataplane; Direct mode
 *       is refused when a live proxy holds the name with another resource (when liveness is
 *       checked).
 * </ol>
 *
 * <p>Refusals are {@link AdmissionRefusedException}s, {@link
 * dev.quma.core.tokens.TokenRefusedException}s and the codec's and validator's own exceptions; the
 * edges translate them into HTTP or gRPC answers. Rules that concern both tiers belong here.
 */
public final class DataplaneAdmission {
  private final ResourceStore store;
  private final DataplaneTokenVerifier verifier;
  private final ConnectedProxies connected;
  private final ResourceCodec codec = ResourceCodec.instance();

  /**
   * @param verifier checks dataplane tokens; null admits proxies without one (only for local
   *     development, see {@code quma.xds.dataplane-authn})
   * @param connected tells whether a proxy of a name is live now, to refuse a second identity for
   *     it; null checks nothing of the kind
   */
  public DataplaneAdmission(
      ResourceStore store, DataplaneTokenVerifier verifier, ConnectedProxies connected) {
    this.store = store;
    this.verifier = verifier;
    this.connected = connected;
  }

  public Uni<AdmittedDataplane> admit(AdmissionRequest request) {
    Resource<Dataplane> offered;
    String mesh;
    String name;
    try {
      checkProxyType(request.proxyType());
      offered = offered(request.dataplaneResource());
      mesh = offered != null && blank(request.mesh()) ? offered.mesh() : request.mesh();
      name = offered != null && blank(request.name()) ? offered.name() : request.name();
      checkNamed(mesh, name);
      if (offered != null) {
        checkSameDataplane(mesh, name, offered);
      }
      if (verifier != null && blank(request.dataplaneToken())) {
        throw new AdmissionRefusedException(
            NO_TOKEN,
            "the proxy sent no dataplane token",
            List.of(new Violation("dataplaneToken", "must be present")));
      }
    } catch (RuntimeException e) {
      return Uni.createFrom().failure(e);
    }
    Uni<Optional<Resource<Dataplane>>> stored =
        store.find(ResourceType.DATAPLANE, mesh, name, Dataplane.class);
    // Only an offered resource can clash with the proxy of that name that is live now.
    Uni<Boolean> liveNow =
        offered == null || connected == null
            ? Uni.createFrom().item(false)
            : connected.connectedNow(mesh, name);
    return Uni.combine()
        .all()
        .unis(stored, liveNow)
        .asTuple()
        .flatMap(
            found -> {
              Optional<Resource<Dataplane>> existing = found.getItem1();
              Dataplane bound =
                  offered != null ? offered.spec() : existing.map(Resource::spec).orElse(null);
              return verified(request.dataplaneToken(), mesh, name, bound)
                  .flatMap(
                      x -> existing.isPresent() ? Uni.createFrom().voidItem() : meshExists(mesh))
                  .map(
                      x ->
                          offered != null
                              ? direct(mesh, name, offered, existing, found.getItem2())
                              : indirect(mesh, name, existing));
            });
  }

  private Uni<Void> verified(String token, String mesh, String name, Dataplane bound) {
    if (verifier == null) {
      return Uni.createFrom().voidItem();
    }
    return verifier.verify(token, mesh, name, ProxyType.DATAPLANE, bound).replaceWithVoid();
  }

  /** A stored dataplane's mesh exists (a mesh with dataplanes is never deleted): else, read it. */
  private Uni<Void> meshExists(String mesh) {
    return store
        .find(ResourceType.MESH, null, mesh)
        .map(
            found -> {
              if (found.isEmpty()) {
                throw new AdmissionRefusedException(
                    MESH_NOT_FOUND,
                    "mesh \"" + mesh + "\" does not exist",
                    List.of(new Violation("mesh", "not found")));
              }
              return null;
            });
  }

  private static AdmittedDataplane direct(
      String mesh,
      String name,
      Resource<Dataplane> offered,
      Optional<Resource<Dataplane>> existing,
      boolean liveNow) {
    if (existing.isPresent() && liveNow && !existing.get().spec().equals(offered.spec())) {
      throw new AdmissionRefusedException(
          NAME_IN_USE,
          "a dataplane named \""
              + name
              + "\" is connected to the control plane right now with a different resource"
              + " (address "
              + address(existing.get().spec())
              + "); two proxies cannot share a name: give this one its own (--dataplane-var"
              + " name=...) or stop the other first",
          List.of(new Violation("name", "in use by a connected dataplane")));
    }
    return new AdmittedDataplane(mesh, name, offered, existing);
  }

  private static AdmittedDataplane indirect(
      String mesh, String name, Optional<Resource<Dataplane>> existing) {
    if (existing.isEmpty()) {
      // Not found is what Kuma's agent waits on: the resource may be created shortly.
      throw new AdmissionRefusedException(
          DATAPLANE_NOT_FOUND,
          "Dataplane \""
              + name
              + "\" does not exist in mesh \""
              + mesh
              + "\": create it through the API first (Indirect mode), or start the proxy with its"
              + " dataplane resource (Direct mode)",
          List.of(new Violation("name", "not found")));
    }
    return new AdmittedDataplane(mesh, name, null, existing);
  }

  /** The proxy's own resource, decoded and valid; null when it brings none. */
  private Resource<Dataplane> offered(String text) {
    if (blank(text)) {
      return null;
    }
    text = text.strip();
    // Kuma's agent sends JSON; a YAML document is read too.
    ResourceDocument<Dataplane> document =
        codec.decode(
            text.getBytes(StandardCharsets.UTF_8),
            text.startsWith("{") ? Format.JSON : Format.YAML,
            ResourceType.DATAPLANE);
    if (document.type() != null && !document.type().equals(ResourceType.DATAPLANE.kumaName())) {
      throw new AdmissionRefusedException(
          INVALID_REQUEST,
          "the dataplane resource is a " + document.type() + ", not a Dataplane",
          List.of(
              new Violation(
                  "dataplaneResource.type", "must be Dataplane, not \"" + document.type() + "\"")));
    }
    Resource<Dataplane> resource = document.toResource(ResourceType.DATAPLANE);
    ResourceValidator.validate(resource);
    return resource;
  }

  private static void checkSameDataplane(String mesh, String name, Resource<Dataplane> offered) {
    List<Violation> violations = new ArrayList<>();
    if (!mesh.equals(offered.mesh())) {
      violations.add(
          new Violation(
              "dataplaneResource.mesh",
              "is \"" + offered.mesh() + "\", but the proxy is of mesh \"" + mesh + "\""));
    }
    if (!name.equals(offered.name())) {
      violations.add(
          new Violation(
              "dataplaneResource.name",
              "is \"" + offered.name() + "\", but the proxy is \"" + name + "\""));
    }
    if (!violations.isEmpty()) {
      throw new AdmissionRefusedException(
          INVALID_REQUEST,
          "the dataplane resource (mesh \""
              + offered.mesh()
              + "\", name \""
              + offered.name()
              + "\") is not the dataplane the proxy says it is (mesh \""
              + mesh
              + "\", name \""
              + name
              + "\")",
          violations);
    }
  }

  private static void checkNamed(String mesh, String name) {
    List<Violation> violations = new ArrayList<>();
    if (blank(mesh)) {
      violations.add(new Violation("mesh", "cannot be empty"));
    }
    if (blank(name)) {
      violations.add(new Violation("name", "cannot be empty"));
    }
    if (!violations.isEmpty()) {
      throw new AdmissionRefusedException(
          INVALID_REQUEST,
          "name the dataplane: send mesh and name, or a dataplaneResource that has them",
          violations);
    }
  }

  private static void checkProxyType(String proxyType) {
    if (!blank(proxyType) && !proxyType.equals(ProxyType.DATAPLANE.wireName())) {
      throw new AdmissionRefusedException(
          UNSUPPORTED_PROXY_TYPE,
          "proxy type \"" + proxyType + "\" is not served yet; only \"dataplane\" is",
          List.of(new Violation("proxyType", "must be \"dataplane\"")));
    }
  }

  private static String address(Dataplane spec) {
    return spec.networking() == null ? "none" : spec.networking().address();
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }
}

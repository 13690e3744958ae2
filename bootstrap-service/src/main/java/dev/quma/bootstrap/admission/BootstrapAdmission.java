package dev.quma.bootstrap.admission;

import dev.quma.bootstrap.web.BootstrapRequest;
import dev.quma.core.codec.Format;
import dev.quma.core.codec.ResourceCodec;
import dev.quma.core.codec.ResourceDocument;
import dev.quma.core.model.Dataplane;
import dev.quma.core.model.ProxyType;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.tokens.DataplaneTokenVerifier;
import dev.quma.core.validation.ResourceValidator;
import dev.quma.http.errors.ApiException;
import dev.quma.http.errors.Errors;
import dev.quma.http.errors.KumaError;
import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether a bootstrap request may be answered and for which dataplane. Direct mode (the
 * request carries the resource): the resource is parsed and validated, must name the request's
 * dataplane, and the token is checked against it. Indirect mode: the dataplane must exist, and the
 * token is checked against the stored one. Nothing is written: registration is the xDS tier's job,
 * when Envoy connects.
 */
public final class BootstrapAdmission {
  public static final String TITLE = "Could not bootstrap the dataplane";

  private final ResourceStore store;
  private final ConnectedProxies connected;
  private final DataplaneTokenVerifier verifier;
  private final ResourceCodec codec = ResourceCodec.instance();

  public BootstrapAdmission(
      ResourceStore store, ConnectedProxies connected, DataplaneTokenVerifier verifier) {
    this.store = store;
    this.connected = connected;
    this.verifier = verifier;
  }

  public Uni<AdmittedDataplane> admit(BootstrapRequest request) {
    Resource<Dataplane> offered;
    String mesh;
    String name;
    try {
      checkProxyType(request.proxyType());
      offered = offered(request);
      mesh = offered != null && blank(request.mesh()) ? offered.mesh() : request.mesh();
      name = offered != null && blank(request.name()) ? offered.name() : request.name();
      checkNamed(mesh, name);
      if (offered != null) {
        checkSameDataplane(mesh, name, offered);
      }
      if (blank(request.dataplaneToken())) {
        throw new ApiException(
            401,
            TITLE,
            "the request carries no dataplane token: generate one (qumactl generate"
                + " dataplane-token) and pass it to the agent (--dataplane-token-file)",
            List.of(new KumaError.Cause("dataplaneToken", "must be present")));
      }
    } catch (RuntimeException e) {
      return Uni.createFrom().failure(Errors.translate(e, TITLE));
    }
    Uni<Boolean> meshExists = store.find(ResourceType.MESH, null, mesh).map(Optional::isPresent);
    Uni<Optional<Resource<Dataplane>>> stored =
        store.find(ResourceType.DATAPLANE, mesh, name, Dataplane.class);
    // Only an offered resource can clash with the proxy of that name that is connected now.
    Uni<Boolean> connectedNow =
        offered == null ? Uni.createFrom().item(false) : connected.connectedNow(mesh, name);
    return Uni.combine()
        .all()
        .unis(meshExists, stored, connectedNow)
        .asTuple()
        .flatMap(
            found -> {
              if (!found.getItem1()) {
                return Uni.createFrom()
                    .failure(
                        new ApiException(
                            404,
                            TITLE,
                            "mesh \"" + mesh + "\" does not exist",
                            List.of(new KumaError.Cause("mesh", "not found"))));
              }
              Optional<Resource<Dataplane>> existing = found.getItem2();
              Dataplane bound =
                  offered != null ? offered.spec() : existing.map(Resource::spec).orElse(null);
              return verifier
                  .verify(request.dataplaneToken(), mesh, name, ProxyType.DATAPLANE, bound)
                  .map(
                      token ->
                          offered != null
                              ? direct(offered, existing, found.getItem3())
                              : indirect(mesh, name, existing));
            })
        .onFailure()
        .transform(Errors.titled(TITLE));
  }

  private static AdmittedDataplane direct(
      Resource<Dataplane> offered, Optional<Resource<Dataplane>> existing, boolean connectedNow) {
    if (existing.isPresent() && connectedNow && !existing.get().spec().equals(offered.spec())) {
      throw new ApiException(
          409,
          TITLE,
          "a dataplane named \""
              + offered.name()
              + "\" is connected to the control plane right now with a different resource"
              + " (address "
              + address(existing.get().spec())
              + "); two proxies cannot share a name: give this one its own (--dataplane-var"
              + " name=...) or stop the other first",
          List.of(new KumaError.Cause("name", "in use by a connected dataplane")));
    }
    return new AdmittedDataplane(offered, true);
  }

  private static AdmittedDataplane indirect(
      String mesh, String name, Optional<Resource<Dataplane>> existing) {
    if (existing.isEmpty()) {
      // 404 is what Kuma's agent waits on: the resource may be created shortly (Indirect mode).
      throw new ApiException(
          404,
          TITLE,
          "Dataplane \""
              + name
              + "\" does not exist in mesh \""
              + mesh
              + "\": create it through the API first (Indirect mode), or pass the agent its"
              + " dataplane file (Direct mode)",
          List.of(new KumaError.Cause("name", "not found")));
    }
    return new AdmittedDataplane(existing.get(), false);
  }

  private Resource<Dataplane> offered(BootstrapRequest request) {
    String text = request.dataplaneResource();
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
    if (document.type() != null && !document.type().equals("Dataplane")) {
      throw new ApiException(
          400,
          TITLE,
          "Resource is not valid",
          List.of(
              new KumaError.Cause(
                  "dataplaneResource.type", "must be Dataplane, not \"" + document.type() + "\"")));
    }
    Resource<Dataplane> resource = document.toResource(ResourceType.DATAPLANE);
    ResourceValidator.validate(resource);
    return resource;
  }

  private static void checkSameDataplane(String mesh, String name, Resource<Dataplane> offered) {
    List<KumaError.Cause> causes = new ArrayList<>();
    if (!mesh.equals(offered.mesh())) {
      causes.add(
          new KumaError.Cause(
              "dataplaneResource.mesh",
              "is \"" + offered.mesh() + "\", but the request is for mesh \"" + mesh + "\""));
    }
    if (!name.equals(offered.name())) {
      causes.add(
          new KumaError.Cause(
              "dataplaneResource.name",
              "is \"" + offered.name() + "\", but the request is for \"" + name + "\""));
    }
    if (!causes.isEmpty()) {
      throw new ApiException(
          400, TITLE, "the request and its dataplane resource name different dataplanes", causes);
    }
  }

  private static void checkNamed(String mesh, String name) {
    List<KumaError.Cause> causes = new ArrayList<>();
    if (blank(mesh)) {
      causes.add(new KumaError.Cause("mesh", "cannot be empty"));
    }
    if (blank(name)) {
      causes.add(new KumaError.Cause("name", "cannot be empty"));
    }
    if (!causes.isEmpty()) {
      throw new ApiException(
          400,
          TITLE,
          "name the dataplane: send mesh and name, or a dataplaneResource that has them",
          causes);
    }
  }

  private static void checkProxyType(String proxyType) {
    if (!blank(proxyType) && !proxyType.equals(ProxyType.DATAPLANE.wireName())) {
      throw new ApiException(
          400,
          TITLE,
          "proxy type \"" + proxyType + "\" is not served yet; only \"dataplane\" is",
          List.of(new KumaError.Cause("proxyType", "must be \"dataplane\"")));
    }
  }

  private static String address(Dataplane spec) {
    return spec.networking() == null ? "none" : spec.networking().address();
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }
}

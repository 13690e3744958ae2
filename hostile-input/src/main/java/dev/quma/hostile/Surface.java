package dev.quma.hostile;

import dev.quma.hostile.HostileRequest.Service;
import java.util.List;

/**
 * Every endpoint the generator aims at, per service: method, path template ({@code {mesh}}, {@code
 * {name}}... are filled from {@link Names}), the body it takes, and how often it is picked.
 */
final class Surface {
  private Surface() {}

  enum Body {
    NONE,
    MESH,
    DATAPLANE,
    SECRET,
    REVOCATION,
    TOKEN_REQUEST,
    VERIFICATION,
    BOOTSTRAP
  }

  record Endpoint(Service service, String method, String template, Body body, int weight) {}

  private static Endpoint get(Service service, String template, int weight) {
    return new Endpoint(service, "GET", template, Body.NONE, weight);
  }

  static final List<Endpoint> API =
      List.of(
          get(Service.API, "/", 1),
          get(Service.API, "/meshes", 3),
          get(Service.API, "/meshes/{mesh}", 3),
          new Endpoint(Service.API, "PUT", "/meshes/{mesh}", Body.MESH, 8),
          new Endpoint(Service.API, "DELETE", "/meshes/{mesh}", Body.NONE, 2),
          get(Service.API, "/meshes/{mesh}/dataplanes", 3),
          get(Service.API, "/meshes/{mesh}/dataplanes/{name}", 3),
          new Endpoint(Service.API, "PUT", "/meshes/{mesh}/dataplanes/{name}", Body.DATAPLANE, 14),
          new Endpoint(Service.API, "DELETE", "/meshes/{mesh}/dataplanes/{name}", Body.NONE, 2),
          get(Service.API, "/meshes/{mesh}/dataplanes/_overview", 2),
          get(Service.API, "/meshes/{mesh}/dataplanes/{name}/_overview", 2),
          get(Service.API, "/meshes/{mesh}/dataplanes/{name}/xds", 1),
          get(Service.API, "/meshes/{mesh}/dataplanes/{name}/stats", 1),
          get(Service.API, "/meshes/{mesh}/dataplanes+insights", 2),
          get(Service.API, "/meshes/{mesh}/dataplanes+insights/{name}", 1),
          get(Service.API, "/dataplanes", 2),
          get(Service.API, "/dataplanes/_overview", 2),
          get(Service.API, "/mesh-insights", 1),
          get(Service.API, "/mesh-insights/{mesh}", 1),
          get(Service.API, "/global-insight", 1),
          get(Service.API, "/meshes/{mesh}/service-insights", 1),
          get(Service.API, "/meshes/{mesh}/service-insights/{service}", 1),
          get(Service.API, "/_resources", 1),
          get(Service.API, "/_xds-replicas", 1),
          get(Service.API, "/policies", 1),
          get(Service.API, "/who-am-i", 1),
          get(Service.API, "/config", 2),
          get(Service.API, "/global-secrets", 2),
          get(Service.API, "/global-secrets/{secret}", 3),
          new Endpoint(Service.API, "PUT", "/global-secrets/{secret}", Body.SECRET, 4),
          new Endpoint(Service.API, "DELETE", "/global-secrets/{secret}", Body.NONE, 1),
          get(Service.API, "/meshes/{mesh}/secrets", 2),
          get(Service.API, "/meshes/{mesh}/secrets/{secret}", 2),
          new Endpoint(Service.API, "PUT", "/meshes/{mesh}/secrets/{secret}", Body.SECRET, 3),
          new Endpoint(Service.API, "DELETE", "/meshes/{mesh}/secrets/{secret}", Body.NONE, 1),
          get(Service.API, "/gui", 1),
          get(Service.API, "/gui/", 1),
          get(Service.API, "/gui/api/tokens/dataplane/{mesh}/ledger", 2),
          new Endpoint(
              Service.API,
              "POST",
              "/gui/api/tokens/dataplane/{mesh}/revocations",
              Body.REVOCATION,
              2),
          get(Service.API, "/q/health/ready", 1));

  static final List<Endpoint> TOKENS =
      List.of(
          new Endpoint(Service.TOKENS, "POST", "/tokens/dataplane", Body.TOKEN_REQUEST, 10),
          get(Service.TOKENS, "/tokens/dataplane/{mesh}/ledger", 3),
          get(Service.TOKENS, "/tokens/dataplane/{mesh}/ledger/{jti}", 2),
          get(Service.TOKENS, "/tokens/dataplane/{mesh}/signing-keys", 2),
          new Endpoint(
              Service.TOKENS, "POST", "/tokens/dataplane/{mesh}/signing-keys", Body.NONE, 1),
          new Endpoint(
              Service.TOKENS,
              "DELETE",
              "/tokens/dataplane/{mesh}/signing-keys/{serial}",
              Body.NONE,
              1),
          new Endpoint(
              Service.TOKENS, "POST", "/tokens/dataplane/{mesh}/revocations", Body.REVOCATION, 3),
          get(Service.TOKENS, "/tokens/dataplane/{mesh}/revocations", 2),
          new Endpoint(Service.TOKENS, "POST", "/tokens/dataplane/verify", Body.VERIFICATION, 3),
          get(Service.TOKENS, "/q/health/ready", 1));

  static final List<Endpoint> BOOTSTRAP =
      List.of(
          new Endpoint(Service.BOOTSTRAP, "POST", "/bootstrap", Body.BOOTSTRAP, 10),
          get(Service.BOOTSTRAP, "/bootstrap", 1));

  static List<Endpoint> of(Service service) {
    return switch (service) {
      case API -> API;
      case TOKENS -> TOKENS;
      case BOOTSTRAP -> BOOTSTRAP;
    };
  }
}

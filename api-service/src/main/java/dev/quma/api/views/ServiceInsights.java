package dev.quma.api.views;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quma.api.ApiConfig;
import dev.quma.api.rest.Formats;
import dev.quma.api.rest.Paging;
import dev.quma.api.rest.ResourceEndpoints;
import dev.quma.core.codec.Format;
import dev.quma.core.codec.ResourceCodec;
import dev.quma.core.stats.DataplaneClass;
import dev.quma.core.stats.MeshStatsStore;
import dev.quma.core.stats.ServiceCounts;
import dev.quma.core.store.ListQuery;
import dev.quma.http.errors.Errors;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Locale;

/**
 * Kuma's {@code ServiceInsight} items of a mesh: each service with how many of its dataplanes are
 * online, read from the counters the writers keep (one round trip, however many dataplanes). The
 * counters hold one entry per service, so paging and the {@code name} filter work on the whole list
 * in memory.
 */
@ApplicationScoped
public class ServiceInsights {
  private final ResourceEndpoints endpoints;
  private final MeshStatsStore stats;
  private final ApiConfig config;
  private final ObjectMapper json = ResourceCodec.instance().json();
  private final ResourceCodec codec = ResourceCodec.instance();

  public ServiceInsights(ResourceEndpoints endpoints, MeshStatsStore stats, ApiConfig config) {
    this.endpoints = endpoints;
    this.stats = stats;
    this.config = config;
  }

  /** A page of the mesh's services, sorted by name; 404 when the mesh does not exist. */
  public Uni<Response> list(String mesh, UriInfo uri, HttpHeaders headers) {
    Format format = Formats.wanted(headers);
    ListQuery query;
    try {
      query = Paging.query(uri, config.maxPageSize());
    } catch (RuntimeException e) {
      return Uni.createFrom().failure(e);
    }
    return endpoints
        .requireMesh(mesh)
        .flatMap(x -> stats.readServices(mesh))
        .map(services -> body(mesh, services, query, uri))
        .map(body -> Response.ok(codec.write(body, format), Formats.mediaType(format)).build())
        .onFailure()
        .transform(Errors.titled(Errors.RETRIEVE_MANY));
  }

  private ObjectNode body(String mesh, List<ServiceCounts> all, ListQuery query, UriInfo uri) {
    String name = query.nameContains();
    List<ServiceCounts> matching =
        name == null ? all : all.stream().filter(s -> s.name().contains(name)).toList();
    int from = (int) Math.min(query.offset(), matching.size());
    int to = (int) Math.min((long) from + query.size(), matching.size());
    ObjectNode out = json.createObjectNode();
    out.put("total", matching.size());
    var items = out.putArray("items");
    for (ServiceCounts service : matching.subList(from, to)) {
      items.add(item(mesh, service));
    }
    out.put(
        "next",
        to < matching.size()
            ? uri.getRequestUriBuilder()
                .replaceQueryParam("offset", to)
                .replaceQueryParam("size", query.size())
                .build()
                .toString()
            : null);
    return out;
  }

  private ObjectNode item(String mesh, ServiceCounts service) {
    ObjectNode out = json.createObjectNode();
    out.put("type", "ServiceInsight");
    out.put("mesh", mesh);
    out.put("name", service.name());
    out.put("serviceType", serviceType(service.kind()));
    // Kuma writes its enum values in snake case (partially_degraded).
    out.put(
        "status",
        service.status().equals("partiallyDegraded") ? "partially_degraded" : service.status());
    out.putObject("dataplanes")
        .put("total", service.total())
        .put("online", service.online())
        .put("offline", service.offline());
    return out;
  }

  private static String serviceType(String kind) {
    return switch (kind) {
      case DataplaneClass.GATEWAY_BUILTIN -> "gateway_builtin";
      case DataplaneClass.GATEWAY_DELEGATED -> "gateway_delegated";
      default -> kind.toLowerCase(Locale.ROOT);
    };
  }
}

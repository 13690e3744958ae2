package dev.quma.api.views;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.quma.api.ApiConfig;
import dev.quma.api.rest.Formats;
import dev.quma.api.rest.Paging;
import dev.quma.api.rest.ResourceEndpoints;
import dev.quma.core.codec.Format;
import dev.quma.core.codec.ResourceCodec;
import dev.quma.core.dns.DomainNames;
import dev.quma.core.insight.DataplaneInsight;
import dev.quma.core.insight.Departure;
import dev.quma.core.insight.Departures;
import dev.quma.core.insight.InsightReader;
import dev.quma.core.insight.ProbeHealth;
import dev.quma.core.insight.ProbeResults;
import dev.quma.core.model.Dataplane;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceMeta;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.Page;
import dev.quma.core.store.ResourceStore;
import dev.quma.http.errors.Errors;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Kuma's {@code DataplaneOverview}s: each dataplane with what the xDS tier knows of its connections
 * ({@code dataplaneInsight}), and each inbound's health with what decides it ({@code
 * inboundHealth}, see {@link InboundHealth}). Served at {@code
 * /meshes/{mesh}/dataplanes/_overview}, {@code /dataplanes/_overview} and the older {@code
 * /meshes/{mesh}/dataplanes+insights}; a page costs two round trips (the dataplanes, then their
 * insights, departures and probe results at once), whatever the size of the mesh.
 */
@ApplicationScoped
public class DataplaneOverviews {
  private final ResourceEndpoints endpoints;
  private final ResourceStore store;
  private final InsightReader insights;
  private final Departures departures;
  private final ProbeResults probes;
  private final DomainNames domainNames;
  private final ApiConfig config;
  private final Clock clock;
  private final ResourceCodec codec = ResourceCodec.instance();

  public DataplaneOverviews(
      ResourceEndpoints endpoints,
      ResourceStore store,
      InsightReader insights,
      Departures departures,
      ProbeResults probes,
      DomainNames domainNames,
      ApiConfig config,
      Clock clock) {
    this.domainNames = domainNames;
    this.endpoints = endpoints;
    this.store = store;
    this.insights = insights;
    this.departures = departures;
    this.probes = probes;
    this.config = config;
    this.clock = clock;
  }

  /** A page of overviews of one mesh, or of every mesh when {@code mesh} is null. */
  public Uni<Response> list(String mesh, UriInfo uri, HttpHeaders headers) {
    return endpoints.list(
        ResourceType.DATAPLANE,
        mesh,
        Paging.overviewQuery(uri, config.maxPageSize()),
        uri,
        headers,
        this::render);
  }

  public Uni<Response> get(String mesh, String name, HttpHeaders headers) {
    Format format = Formats.wanted(headers);
    return store
        .get(ResourceType.DATAPLANE, mesh, name)
        .flatMap(
            dataplane ->
                Uni.combine()
                    .all()
                    .unis(
                        insights.get(mesh, name),
                        departures.of(mesh, List.of(name)),
                        probes.of(mesh, List.of(name)),
                        domainNamesOf(List.of(dataplane)))
                    .asTuple()
                    .map(
                        read ->
                            overview(
                                dataplane,
                                read.getItem1(),
                                read.getItem2().get(name),
                                read.getItem3().get(name),
                                read.getItem4())))
        .map(body -> Response.ok(codec.write(body, format), Formats.mediaType(format)).build())
        .onFailure()
        .transform(Errors.titled(Errors.RETRIEVE_ONE));
  }

  /** The page's items with their insights: one MGET per mesh on the page, all at once. */
  private Uni<List<Object>> render(Page<Resource<?>> page) {
    Map<String, List<String>> namesByMesh = new LinkedHashMap<>();
    for (Resource<?> dataplane : page.items()) {
      namesByMesh.computeIfAbsent(dataplane.mesh(), m -> new ArrayList<>()).add(dataplane.name());
    }
    if (namesByMesh.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    List<String> meshes = new ArrayList<>(namesByMesh.keySet());
    List<Uni<MeshReads>> reads = new ArrayList<>();
    for (String mesh : meshes) {
      List<String> names = namesByMesh.get(mesh);
      reads.add(
          Uni.combine()
              .all()
              .unis(
                  insights.getAll(mesh, names), departures.of(mesh, names), probes.of(mesh, names))
              .asTuple()
              .map(read -> new MeshReads(read.getItem1(), read.getItem2(), read.getItem3())));
    }
    return Uni.combine()
        .all()
        .unis(Uni.join().all(reads).andFailFast(), domainNamesOf(page.items()))
        .asTuple()
        .map(
            read -> {
              List<MeshReads> found = read.getItem1();
              Map<String, DataplaneInsight> insightByKey = new LinkedHashMap<>();
              Map<String, MeshReads> readsByMesh = new LinkedHashMap<>();
              for (int m = 0; m < meshes.size(); m++) {
                List<String> names = namesByMesh.get(meshes.get(m));
                readsByMesh.put(meshes.get(m), found.get(m));
                for (int i = 0; i < names.size(); i++) {
                  insightByKey.put(
                      meshes.get(m) + "/" + names.get(i), found.get(m).insights().get(i));
                }
              }
              List<Object> items = new ArrayList<>(page.items().size());
              for (Resource<?> dataplane : page.items()) {
                MeshReads ofMesh = readsByMesh.get(dataplane.mesh());
                items.add(
                    overview(
                        dataplane,
                        insightByKey.get(dataplane.mesh() + "/" + dataplane.name()),
                        ofMesh.departures().get(dataplane.name()),
                        ofMesh.probes().get(dataplane.name()),
                        read.getItem2()));
              }
              return items;
            });
  }

  /** What a page needs of one mesh besides its dataplanes. */
  private record MeshReads(
      List<DataplaneInsight> insights,
      Map<String, Departure> departures,
      Map<String, ProbeHealth> probes) {}

  /** The lookups of the domain names that these dataplanes' inbounds are reached at. */
  private Uni<Map<String, DomainNames.Resolution>> domainNamesOf(List<Resource<?>> dataplanes) {
    Set<String> wanted = new TreeSet<>();
    for (Resource<?> dataplane : dataplanes) {
      Dataplane spec = (Dataplane) dataplane.spec();
      if (spec.networking() != null) {
        for (Dataplane.Inbound inbound : spec.networking().inbound()) {
          String address = DomainNames.endpointAddress(spec.networking(), inbound);
          if (DomainNames.isDomainName(address)) {
            wanted.add(address);
          }
        }
      }
    }
    if (wanted.isEmpty()) {
      return Uni.createFrom().item(Map.of());
    }
    return Uni.join()
        .all(wanted.stream().map(domainNames::resolve).toList())
        .andFailFast()
        .map(
            found -> {
              Map<String, DomainNames.Resolution> byName = new LinkedHashMap<>();
              found.forEach(resolution -> byName.put(resolution.name(), resolution));
              return byName;
            });
  }

  private DataplaneOverview overview(
      Resource<?> dataplane,
      DataplaneInsight insight,
      Departure departure,
      ProbeHealth probe,
      Map<String, DomainNames.Resolution> names) {
    ResourceMeta meta = dataplane.meta();
    Dataplane spec = (Dataplane) dataplane.spec();
    return new DataplaneOverview(
        "DataplaneOverview",
        meta.mesh(),
        meta.name(),
        meta.creationTime(),
        meta.modificationTime(),
        meta.labels().isEmpty() ? null : meta.labels(),
        spec,
        insight,
        InboundHealth.of(
            spec,
            names,
            departure,
            probe,
            config.hdsEnabled(),
            config.connectionGrace(),
            clock.instant()));
  }

  /**
   * Kuma's {@code DataplaneOverview}. A record rather than a tree: a page of them is serialised
   * straight to the response, with no intermediate copy.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DataplaneOverview(
      String type,
      String mesh,
      String name,
      Instant creationTime,
      Instant modificationTime,
      Map<String, String> labels,
      Dataplane dataplane,
      DataplaneInsight dataplaneInsight,
      List<InboundHealth> inboundHealth) {}
}

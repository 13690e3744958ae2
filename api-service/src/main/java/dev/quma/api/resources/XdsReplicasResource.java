package dev.quma.api.resources;

import dev.quma.core.insight.XdsReplicas;
import dev.quma.core.insight.XdsReplicas.XdsReplica;
import dev.quma.core.store.ResourceQueries;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * {@code GET /_xds-replicas}: the xDS replicas serving proxies, from their heartbeats in every
 * mesh; online ones first. Quma's own: Kuma's standalone control plane is one process.
 */
@Path("/_xds-replicas")
public class XdsReplicasResource {

  /** The answer: how many replicas are listed, and each. */
  public record XdsReplicaList(int total, List<XdsReplica> items) {}

  private final ResourceQueries queries;
  private final XdsReplicas replicas;

  public XdsReplicasResource(ResourceQueries queries, XdsReplicas replicas) {
    this.queries = queries;
    this.replicas = replicas;
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Uni<XdsReplicaList> get() {
    return queries
        .meshNames()
        .flatMap(replicas::list)
        .map(listed -> new XdsReplicaList(listed.size(), listed));
  }
}

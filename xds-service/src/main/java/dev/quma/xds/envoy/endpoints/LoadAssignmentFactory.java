package dev.quma.xds.envoy.endpoints;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.quma.core.model.Dataplane;
import dev.quma.xds.envoy.SocketAddresses;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import java.util.List;
import java.util.Map;

/**
 * The endpoints of an outbound target (EDS). Each endpoint carries its tags other than the service
 * under {@code envoy.lb}, as Kuma's do, for subset load balancing. Built from exactly one input
 * record, the key of the generator's memo.
 */
public final class LoadAssignmentFactory {
  private LoadAssignmentFactory() {}

  /** The load assignment of an outbound target's cluster: the target's ready endpoints. */
  public record EndpointsInput(String cluster, List<ServiceEndpoint> endpoints) {
    public EndpointsInput {
      endpoints = List.copyOf(endpoints);
    }
  }

  public static ClusterLoadAssignment of(EndpointsInput in) {
    ClusterLoadAssignment.Builder assignment =
        ClusterLoadAssignment.newBuilder().setClusterName(in.cluster());
    if (!in.endpoints().isEmpty()) {
      LocalityLbEndpoints.Builder locality = LocalityLbEndpoints.newBuilder();
      for (ServiceEndpoint endpoint : in.endpoints()) {
        locality.addLbEndpoints(endpoint.lbEndpoint());
      }
      assignment.addEndpoints(locality);
    }
    return assignment.build();
  }

  /**
   * One endpoint as EDS sends it; built once per inbound by its {@link ServiceEndpoint} (whose
   * address, port and tags are this method's whole input), shared by every assignment listing it.
   */
  public static LbEndpoint lbEndpoint(String address, int port, Map<String, String> tags) {
    LbEndpoint.Builder lb =
        LbEndpoint.newBuilder()
            .setEndpoint(Endpoint.newBuilder().setAddress(SocketAddresses.of(address, port)));
    Metadata metadata = lbMetadata(tags);
    if (metadata != null) {
      lb.setMetadata(metadata);
    }
    return lb.build();
  }

  private static Metadata lbMetadata(Map<String, String> tags) {
    Struct.Builder struct = Struct.newBuilder();
    tags.forEach(
        (key, value) -> {
          if (!key.equals(Dataplane.SERVICE_TAG)) {
            struct.putFields(key, Value.newBuilder().setStringValue(value).build());
          }
        });
    if (struct.getFieldsCount() == 0) {
      return null;
    }
    return Metadata.newBuilder().putFilterMetadata("envoy.lb", struct.build()).build();
  }
}

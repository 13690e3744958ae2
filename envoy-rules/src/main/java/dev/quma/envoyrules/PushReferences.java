package dev.quma.envoyrules;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * What must hold between the resources of one push (one proxy's snapshot), which no single
 * resource's rules can see: every cluster a listener or route sends traffic to is in the push,
 * every route configuration a listener asks for by RDS is, every EDS cluster has its load
 * assignment, and no two resources of a type share a name (Envoy keeps one per name).
 */
final class PushReferences {
  private final List<Violation> violations = new ArrayList<>();
  private final Set<String> clusters = new HashSet<>();
  private final Set<String> routes = new HashSet<>();
  private final Set<String> loadAssignments = new HashSet<>();
  private final boolean endpointsInPush;

  private PushReferences(boolean endpointsInPush) {
    this.endpointsInPush = endpointsInPush;
  }

  /**
   * @param endpointsInPush whether load assignments come with this set of resources (an xDS push)
   *     or separately (a bootstrap's static clusters)
   */
  static List<Violation> check(List<? extends Message> resources, boolean endpointsInPush) {
    PushReferences push = new PushReferences(endpointsInPush);
    push.collectNames(resources);
    for (Message resource : resources) {
      if (resource instanceof Listener listener) {
        push.listener(listener);
      } else if (resource instanceof RouteConfiguration route) {
        push.routeConfiguration("RouteConfiguration " + route.getName(), "", route);
      } else if (resource instanceof Cluster cluster) {
        push.edsCluster(cluster);
      }
    }
    return push.violations;
  }

  private void collectNames(List<? extends Message> resources) {
    Set<String> listeners = new HashSet<>();
    Set<String> secrets = new HashSet<>();
    for (Message resource : resources) {
      switch (resource) {
        case Listener l -> unique("Listener", l.getName(), listeners);
        case Cluster c -> unique("Cluster", c.getName(), clusters);
        case RouteConfiguration r -> unique("RouteConfiguration", r.getName(), routes);
        case ClusterLoadAssignment a ->
            unique("ClusterLoadAssignment", a.getClusterName(), loadAssignments);
        case Secret s -> unique("Secret", s.getName(), secrets);
        default -> {}
      }
    }
  }

  private void unique(String type, String name, Set<String> seen) {
    if (!seen.add(name)) {
      violations.add(new Violation(type + " " + name, "", "another " + type + " has this name"));
    }
  }

  private void listener(Listener listener) {
    String resource = "Listener " + listener.getName();
    for (int i = 0; i < listener.getFilterChainsCount(); i++) {
      filterChain(resource, "filter_chains[" + i + "]", listener.getFilterChains(i));
    }
    if (listener.hasDefaultFilterChain()) {
      filterChain(resource, "default_filter_chain", listener.getDefaultFilterChain());
    }
  }

  private void filterChain(String resource, String path, FilterChain chain) {
    for (int i = 0; i < chain.getFiltersCount(); i++) {
      Filter filter = chain.getFilters(i);
      String at = path + ".filters[" + i + "].typed_config";
      if (!filter.hasTypedConfig()) {
        continue;
      }
      Any config = filter.getTypedConfig();
      // A config that does not unpack is reported by the field rules.
      if (config.is(TcpProxy.class) && unpack(config, TcpProxy.class) instanceof TcpProxy tcp) {
        if (tcp.hasWeightedClusters()) {
          weighted(
              resource,
              at + "(TcpProxy).weighted_clusters",
              TcpProxy.WeightedCluster.ClusterWeight::getName,
              tcp.getWeightedClusters().getClustersList());
        } else {
          cluster(resource, at + "(TcpProxy).cluster", tcp.getCluster());
        }
      } else if (config.is(HttpConnectionManager.class)
          && unpack(config, HttpConnectionManager.class) instanceof HttpConnectionManager hcm) {
        String hcmPath = at + "(HttpConnectionManager)";
        if (hcm.hasRouteConfig()) {
          routeConfiguration(resource, hcmPath + ".route_config", hcm.getRouteConfig());
        } else if (hcm.hasRds() && !routes.contains(hcm.getRds().getRouteConfigName())) {
          violations.add(
              new Violation(
                  resource,
                  hcmPath + ".rds.route_config_name",
                  "no RouteConfiguration named \""
                      + hcm.getRds().getRouteConfigName()
                      + "\" in the same push"));
        }
      }
    }
  }

  private void routeConfiguration(String resource, String path, RouteConfiguration config) {
    String prefix = path.isEmpty() ? "" : path + ".";
    for (int v = 0; v < config.getVirtualHostsCount(); v++) {
      VirtualHost host = config.getVirtualHosts(v);
      for (int r = 0; r < host.getRoutesCount(); r++) {
        Route route = host.getRoutes(r);
        if (!route.hasRoute()) {
          continue;
        }
        RouteAction action = route.getRoute();
        String at = prefix + "virtual_hosts[" + v + "].routes[" + r + "].route";
        switch (action.getClusterSpecifierCase()) {
          case CLUSTER -> cluster(resource, at + ".cluster", action.getCluster());
          case WEIGHTED_CLUSTERS ->
              weighted(
                  resource,
                  at + ".weighted_clusters",
                  WeightedCluster.ClusterWeight::getName,
                  action.getWeightedClusters().getClustersList());
          default -> {}
        }
      }
    }
  }

  private <T> void weighted(
      String resource, String path, Function<T, String> name, List<T> weights) {
    for (int i = 0; i < weights.size(); i++) {
      cluster(resource, path + ".clusters[" + i + "].name", name.apply(weights.get(i)));
    }
  }

  private void cluster(String resource, String path, String name) {
    if (!clusters.contains(name)) {
      violations.add(
          new Violation(resource, path, "no Cluster named \"" + name + "\" in the same push"));
    }
  }

  private void edsCluster(Cluster cluster) {
    if (!endpointsInPush || cluster.getType() != Cluster.DiscoveryType.EDS) {
      return;
    }
    String service =
        cluster.getEdsClusterConfig().getServiceName().isEmpty()
            ? cluster.getName()
            : cluster.getEdsClusterConfig().getServiceName();
    if (!loadAssignments.contains(service)) {
      violations.add(
          new Violation(
              "Cluster " + cluster.getName(),
              "eds_cluster_config",
              "an EDS cluster with no ClusterLoadAssignment named \""
                  + service
                  + "\" in the same push"));
    }
  }

  /** The message in {@code any}, or null when it does not parse. */
  private static <T extends Message> T unpack(Any any, Class<T> type) {
    try {
      return any.unpack(type);
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }
}

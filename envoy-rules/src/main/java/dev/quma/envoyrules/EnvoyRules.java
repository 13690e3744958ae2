package dev.quma.envoyrules;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.core.v3.ApiConfigSource;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Envoy's own rules as the judge of generated config, since no Envoy runs in these tests: the field
 * rules Envoy's protos declare (protoc-gen-validate annotations, the checks Envoy runs on every
 * resource it receives before it accepts it), and the references between the resources of one push
 * that Envoy resolves once it has them all.
 *
 * <p>Each method returns every violation found; none is an empty list.
 */
public final class EnvoyRules {
  private EnvoyRules() {}

  /** The field rules, on {@code resource} and everything it holds (also inside {@code Any}). */
  public static List<Violation> check(Message resource) {
    return FieldRules.check(label(resource), resource);
  }

  /**
   * One push, for example a proxy's whole snapshot: the field rules of each resource, and that
   * every cluster, route configuration and load assignment they name is in the push, with names
   * unique per type.
   */
  public static List<Violation> checkPush(Collection<? extends Message> resources) {
    List<Violation> violations = new ArrayList<>();
    for (Message resource : resources) {
      violations.addAll(check(resource));
    }
    violations.addAll(PushReferences.check(List.copyOf(resources), true));
    return violations;
  }

  /**
   * A bootstrap: its field rules, the references between its static resources, and that the ADS it
   * relies on is configured with a static cluster to reach it.
   */
  public static List<Violation> checkBootstrap(Bootstrap bootstrap) {
    List<Violation> violations = new ArrayList<>(check(bootstrap));
    List<Message> statics = new ArrayList<>(bootstrap.getStaticResources().getClustersList());
    statics.addAll(bootstrap.getStaticResources().getListenersList());
    // Static EDS clusters get their endpoints over xDS, not from the bootstrap.
    violations.addAll(PushReferences.check(statics, false));
    var dynamic = bootstrap.getDynamicResources();
    boolean usesAds =
        usesAds(dynamic.getCdsConfig())
            || usesAds(dynamic.getLdsConfig())
            || bootstrap.getStaticResources().getClustersList().stream()
                .anyMatch(c -> usesAds(c.getEdsClusterConfig().getEdsConfig()));
    if (usesAds && !dynamic.hasAdsConfig()) {
      violations.add(
          new Violation(
              "Bootstrap",
              "dynamic_resources",
              "a config source uses ADS, but ads_config is unset"));
    }
    violations.addAll(
        knownClusters(bootstrap, dynamic.getAdsConfig(), "dynamic_resources.ads_config"));
    violations.addAll(knownClusters(bootstrap, bootstrap.getHdsConfig(), "hds_config"));
    return violations;
  }

  /** Each Envoy gRPC service of a config source must name one of the static clusters. */
  private static List<Violation> knownClusters(
      Bootstrap bootstrap, ApiConfigSource source, String field) {
    List<Violation> violations = new ArrayList<>();
    for (int i = 0; i < source.getGrpcServicesCount(); i++) {
      GrpcService service = source.getGrpcServices(i);
      String cluster = service.getEnvoyGrpc().getClusterName();
      boolean known =
          bootstrap.getStaticResources().getClustersList().stream()
              .anyMatch(c -> c.getName().equals(cluster));
      if (service.hasEnvoyGrpc() && !known) {
        violations.add(
            new Violation(
                "Bootstrap",
                field + ".grpc_services[" + i + "].envoy_grpc.cluster_name",
                "no static cluster named \"" + cluster + "\""));
      }
    }
    return violations;
  }

  /**
   * A bootstrap as Envoy reads it from JSON (a YAML file is the same tree): unknown fields and
   * {@code Any} types this judge has no rules for are refused, as they would be by Envoy.
   *
   * @throws InvalidProtocolBufferException when it is not a bootstrap
   */
  public static Bootstrap parseBootstrap(String json) throws InvalidProtocolBufferException {
    Bootstrap.Builder bootstrap = Bootstrap.newBuilder();
    JsonFormat.parser().usingTypeRegistry(KnownTypes.typeRegistry()).merge(json, bootstrap);
    return bootstrap.build();
  }

  private static boolean usesAds(ConfigSource source) {
    return source.hasAds();
  }

  private static String label(Message resource) {
    String type = resource.getDescriptorForType().getName();
    // Every xDS resource type names itself in "name", except a load assignment.
    var field = resource.getDescriptorForType().findFieldByName("name");
    if (field == null) {
      field = resource.getDescriptorForType().findFieldByName("cluster_name");
    }
    boolean named = field != null && field.getType() == FieldDescriptor.Type.STRING;
    return named ? type + " " + resource.getField(field) : type;
  }
}

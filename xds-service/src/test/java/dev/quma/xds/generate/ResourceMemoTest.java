package dev.quma.xds.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.xds.envoy.Protocol;
import dev.quma.xds.envoy.clusters.ClusterFactory;
import dev.quma.xds.envoy.endpoints.LoadAssignmentFactory;
import dev.quma.xds.envoy.listeners.ListenerFactory;
import dev.quma.xds.mesh.MeshView;
import dev.quma.xds.mesh.OutboundTarget;
import dev.quma.xds.testing.Seeds;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The memo gives one object per input, and its keys are the whole input of each factory. */
class ResourceMemoTest {
  private final ResourceMemo memo = new ResourceMemo();

  @Test
  void everyFactoryOfAResourceTakesExactlyOneRecordTheMemoKey() {
    List<String> resourceFactories = new ArrayList<>();
    for (Class<?> factory :
        List.of(ListenerFactory.class, ClusterFactory.class, LoadAssignmentFactory.class)) {
      for (Method method : factory.getDeclaredMethods()) {
        boolean buildsAResource =
            Modifier.isPublic(method.getModifiers())
                && List.of(Listener.class, Cluster.class, ClusterLoadAssignment.class)
                    .contains(method.getReturnType());
        if (buildsAResource) {
          resourceFactories.add(factory.getSimpleName() + "." + method.getName());
          assertThat(method.getParameterTypes())
              .as(method + " must take its whole input as one record")
              .singleElement()
              .matches(Class::isRecord, "a record");
        }
      }
    }
    assertThat(resourceFactories)
        .containsExactlyInAnyOrder(
            "ListenerFactory.inbound",
            "ListenerFactory.outbound",
            "ListenerFactory.prometheus",
            "ClusterFactory.local",
            "ClusterFactory.eds",
            "ClusterFactory.admin",
            "LoadAssignmentFactory.of");
  }

  @Test
  void theSameInputGivesTheSameObjectAndAnyOtherInputAnotherResource() {
    var tcp = new ListenerFactory.OutboundInput("127.0.0.1", 10000, "redis", Protocol.TCP);
    var listener = memo.outboundListener(tcp);

    assertThat(
            memo.outboundListener(
                new ListenerFactory.OutboundInput("127.0.0.1", 10000, "redis", Protocol.TCP)))
        .isSameAs(listener);
    assertThat(listener.resource()).isEqualTo(ListenerFactory.outbound(tcp));
    for (var other :
        List.of(
            new ListenerFactory.OutboundInput("127.0.0.2", 10000, "redis", Protocol.TCP),
            new ListenerFactory.OutboundInput("127.0.0.1", 10001, "redis", Protocol.TCP),
            new ListenerFactory.OutboundInput("127.0.0.1", 10000, "web", Protocol.TCP),
            new ListenerFactory.OutboundInput("127.0.0.1", 10000, "redis", Protocol.HTTP))) {
      assertThat(memo.outboundListener(other).resource()).isNotEqualTo(listener.resource());
    }
    assertThat(memo.edsCluster(new ClusterFactory.EdsInput("redis", Protocol.TCP)))
        .isSameAs(memo.edsCluster(new ClusterFactory.EdsInput("redis", Protocol.TCP)))
        .isNotSameAs(memo.edsCluster(new ClusterFactory.EdsInput("redis", Protocol.HTTP2)));
  }

  @Test
  void proxiesWithTheSameOutboundShareItsResourcesHoweverTheyWriteIt() {
    MeshView mesh = new MeshView("default");
    mesh.apply("redis-1", 1, Seeds.resource(Seeds.redis("redis-1", "10.0.0.1")).spec());
    ProxyConfigGenerator generator = new ProxyConfigGenerator(memo);
    // The second backend writes the outbound's default address out.
    String spelledOut =
        Seeds.backend("backend-2", "10.0.0.3")
            .replace("\"port\": 10000,", "\"port\": 10000, \"address\": \"127.0.0.1\",");
    assertThat(spelledOut).contains("127.0.0.1");

    TargetResources first =
        generator
            .generate(Seeds.resource(Seeds.backend("backend-1", "10.0.0.2")).spec(), mesh)
            .outbound()
            .get(0);
    TargetResources second =
        generator.generate(Seeds.resource(spelledOut).spec(), mesh).outbound().get(0);

    assertThat(second.sameAs(first)).isTrue();
    assertThat(
            generator
                .outbound(
                    new OutboundGroup(OutboundTarget.service("redis"), first.group().outbounds()),
                    mesh)
                .sameAs(first))
        .as("recomputing a target with nothing changed gives the very same resources")
        .isTrue();
  }

  @Test
  void aChangedEndpointGivesANewLoadAssignmentWithANewVersion() {
    MeshView mesh = new MeshView("default");
    mesh.apply("redis-1", 1, Seeds.resource(Seeds.redis("redis-1", "10.0.0.1")).spec());
    OutboundTarget redis = OutboundTarget.service("redis");
    var before =
        memo.loadAssignment(
            new LoadAssignmentFactory.EndpointsInput("redis", mesh.endpoints(redis)));

    mesh.apply("redis-1", 2, Seeds.resource(Seeds.redis("redis-1", "10.0.0.9")).spec());
    var after =
        memo.loadAssignment(
            new LoadAssignmentFactory.EndpointsInput("redis", mesh.endpoints(redis)));

    assertThat(after).isNotSameAs(before);
    assertThat(after.version()).isNotEqualTo(before.version());
    assertThat(
            after
                .resource()
                .getEndpoints(0)
                .getLbEndpoints(0)
                .getEndpoint()
                .getAddress()
                .getSocketAddress()
                .getAddress())
        .isEqualTo("10.0.0.9");
  }
}

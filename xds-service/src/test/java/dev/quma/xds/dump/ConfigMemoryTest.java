package dev.quma.xds.dump;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import dev.quma.xds.streams.ConfigMemory;
import dev.quma.xds.streams.ConfigMemory.Held;
import dev.quma.xds.streams.ConfigMemory.Named;
import dev.quma.xds.streams.ConfigMemory.TypeView;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a stream remembers of the config it sent, as Envoy would hold it after ACKs and NACKs. */
class ConfigMemoryTest {
  private static final String CDS = ConfigDumpRenderer.CLUSTERS;
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  @Test
  void namesAreReadFromThePackedResources() {
    assertThat(ConfigMemory.nameOf(cluster("redis"))).isEqualTo("redis");
    assertThat(
            ConfigMemory.nameOf(
                Any.pack(Listener.newBuilder().setName("inbound:10.0.0.1:80").build())))
        .isEqualTo("inbound:10.0.0.1:80");
    assertThat(
            ConfigMemory.nameOf(
                Any.pack(ClusterLoadAssignment.newBuilder().setClusterName("web").build())))
        .isEqualTo("web");
  }

  @Test
  void stateOfTheWorldHoldsTheLatestAcknowledgedSetAndKeepsItThroughARejection() {
    ConfigMemory memory = new ConfigMemory(ConfigMemory.Protocol.SOTW);
    memory.sentAll(CDS, "v1", "n1", List.of(cluster("a"), cluster("b")), T0);
    assertThat(view(memory).held()).as("nothing held before the ACK").isEmpty();
    memory.acknowledged(CDS, "n1", T0.plusSeconds(1));

    memory.sentAll(CDS, "v2", "n2", List.of(cluster("a"), cluster("c")), T0.plusSeconds(2));
    memory.rejected(CDS, "n2", "bad cluster c", T0.plusSeconds(3));

    TypeView view = view(memory);
    assertThat(view.ackedVersion()).isEqualTo("v1");
    assertThat(view.ackedNonce()).isEqualTo("n1");
    assertThat(view.held()).extracting(Held::name).containsExactly("a", "b");
    assertThat(view.lastSent().version()).isEqualTo("v2");
    assertThat(view.lastRejection().version()).isEqualTo("v2");
    assertThat(view.lastRejection().message()).isEqualTo("bad cluster c");
    assertThat(ConfigDumpRenderer.failedResources(view))
        .as("only what the rejected set would have changed")
        .extracting(Named::name)
        .containsExactly("c");

    memory.sentAll(CDS, "v3", "n3", List.of(cluster("a")), T0.plusSeconds(4));
    memory.acknowledged(CDS, "n3", T0.plusSeconds(5));
    TypeView accepted = view(memory);
    assertThat(accepted.held()).extracting(Held::name).containsExactly("a");
    assertThat(accepted.held().get(0).lastUpdated())
        .as("an unchanged resource keeps the time it last changed")
        .isEqualTo(T0.plusSeconds(1));
    assertThat(ConfigDumpRenderer.failedResources(accepted))
        .as("a later ACK clears the error")
        .isEmpty();
  }

  @Test
  void deltaAppliesAcknowledgedChangesAndRemovals() {
    ConfigMemory memory = new ConfigMemory(ConfigMemory.Protocol.DELTA);
    memory.sentChanges(
        CDS,
        "s1",
        "n1",
        List.of(new Named("a", "1", cluster("a")), new Named("b", "1", cluster("b"))),
        List.of(),
        T0);
    memory.acknowledged(CDS, "n1", T0);
    memory.sentChanges(
        CDS, "s2", "n2", List.of(new Named("c", "1", cluster("c"))), List.of("a"), T0);
    memory.acknowledged(CDS, "n2", T0);
    memory.sentChanges(
        CDS, "s3", "n3", List.of(new Named("d", "1", cluster("d"))), List.of("b"), T0);
    memory.rejected(CDS, "n3", "no", T0.plusSeconds(1));

    TypeView view = view(memory);
    assertThat(view.held()).extracting(Held::name).containsExactly("b", "c");
    assertThat(view.held()).extracting(Held::version).containsOnly("1");
    assertThat(view.ackedVersion()).isEqualTo("s2");
    assertThat(ConfigDumpRenderer.failedResources(view))
        .extracting(Named::name)
        .containsExactly("d");
  }

  @Test
  void unknownAndForgottenNoncesChangeNothing() {
    ConfigMemory memory = new ConfigMemory(ConfigMemory.Protocol.SOTW);
    memory.acknowledged(CDS, "never-sent", T0);
    assertThat(memory.view()).isEmpty();
    for (int i = 0; i < 20; i++) {
      memory.sentAll(CDS, "v" + i, "n" + i, List.of(cluster("c" + i)), T0);
    }
    memory.acknowledged(CDS, "n0", T0); // forgotten: only the latest responses are kept
    assertThat(view(memory).held()).isEmpty();
    memory.acknowledged(CDS, "n19", T0);
    assertThat(view(memory).held()).extracting(Held::name).containsExactly("c19");
  }

  private static TypeView view(ConfigMemory memory) {
    return memory.view().get(0);
  }

  private static Any cluster(String name) {
    return Any.pack(Cluster.newBuilder().setName(name).build());
  }
}

package dev.quma.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LocalRedisClusterTest {

  @Test
  void threeMastersShareEverySlotAndGoAwayOnClose() {
    LocalRedisCluster.Node first;
    try (LocalRedisCluster cluster = LocalRedisCluster.startThreeMasters()) {
      assertThat(cluster.masters()).hasSize(3);
      first = cluster.nodes().get(0);
      assertThat(LocalRedisCluster.command(first.port(), "CLUSTER", "INFO"))
          .contains("cluster_state:ok")
          .contains("cluster_slots_assigned:16384")
          .contains("cluster_known_nodes:3");
      // {a} and {b} live on different masters in a fresh three-master cluster.
      assertThat(cluster.masterOf("x:{a}").port()).isNotEqualTo(cluster.masterOf("x:{b}").port());
      assertThat(cluster.urlSetting().split(",")).hasSize(3);
    }
    assertThat(LocalRedis.answersPing("127.0.0.1", first.port())).isFalse();
  }
}

package dev.quma.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quma.core.runtime.RedisDeployment.ClientType;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisRole;
import org.junit.jupiter.api.Test;

/** How the one Redis setting reads, and the client options it makes. */
class RedisDeploymentTest {

  @Test
  void oneUrlIsAStandaloneRedis() {
    RedisDeployment single = RedisDeployment.parse("redis://r:6379", "standalone", null);
    assertThat(single.urls()).containsExactly("redis://r:6379");
    RedisOptions options = single.options();
    assertThat(options.getType()).isEqualTo(RedisClientType.STANDALONE);
    assertThat(options.getEndpoints()).containsExactly("redis://r:6379");
  }

  @Test
  void severalUrlsNameAClusterOrTheSentinels() {
    RedisDeployment cluster =
        RedisDeployment.parse(" redis://a:7000, redis://b:7001 ,redis://c:7002", "CLUSTER", "");
    assertThat(cluster.type()).isEqualTo(ClientType.CLUSTER);
    assertThat(cluster.options().getType()).isEqualTo(RedisClientType.CLUSTER);
    assertThat(cluster.options().getEndpoints())
        .containsExactly("redis://a:7000", "redis://b:7001", "redis://c:7002");
    assertThat(cluster.urlSetting()).isEqualTo("redis://a:7000,redis://b:7001,redis://c:7002");

    RedisOptions sentinel =
        RedisDeployment.parse("redis://s1:26379,redis://s2:26379", "sentinel", "quma").options();
    assertThat(sentinel.getType()).isEqualTo(RedisClientType.SENTINEL);
    assertThat(sentinel.getRole()).isEqualTo(RedisRole.MASTER);
    assertThat(sentinel.getMasterName()).isEqualTo("quma");
  }

  @Test
  void whatCannotBeADeploymentIsRefusedWithTheSettingsName() {
    assertThatThrownBy(() -> RedisDeployment.parse("redis://a:1,redis://b:2", "standalone", null))
        .hasMessageContaining("QUMA_REDIS_CLIENT_TYPE is standalone");
    assertThatThrownBy(() -> RedisDeployment.parse("redis://a:1", "shard", null))
        .hasMessageContaining("standalone, cluster or sentinel, not 'shard'");
    assertThatThrownBy(() -> RedisDeployment.parse(" , ", "cluster", null))
        .hasMessageContaining("QUMA_REDIS_URL names no Redis");
  }

  @Test
  void itsDescriptionHidesPasswords() {
    assertThat(
            RedisDeployment.parse(
                    "rediss://:hunter2@a:6380,rediss://app:hunter2@b:6380", "cluster", null)
                .describe())
        .isEqualTo("cluster rediss://*****@a:6380,rediss://*****@b:6380")
        .doesNotContain("hunter2");
  }
}

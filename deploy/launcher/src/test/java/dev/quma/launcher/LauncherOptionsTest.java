package dev.quma.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LauncherOptionsTest {

  @Test
  void aConfiguredRedisUrlWinsOverTheLocalOne() {
    assertThat(LauncherOptions.parse(new String[0], Map.of()).redisUrl()).isNull();
    assertThat(
            LauncherOptions.parse(new String[0], Map.of("QUMA_REDIS_URL", "redis://r:6379"))
                .redisUrl())
        .isEqualTo("redis://r:6379");
    assertThat(
            LauncherOptions.parse(
                    new String[] {"--redis-url", "redis://x:1"},
                    Map.of("QUMA_REDIS_URL", "redis://r:6379"))
                .redisUrl())
        .isEqualTo("redis://x:1");
  }

  @Test
  void aClusterIsNamedByItsNodesAndItsClientType() {
    LauncherOptions cluster =
        LauncherOptions.parse(
            new String[] {
              "--redis-url", "redis://a:7000,redis://b:7001", "--redis-client-type", "cluster"
            },
            Map.of());
    assertThat(cluster.redisUrl()).isEqualTo("redis://a:7000,redis://b:7001");
    assertThat(cluster.redisClientType()).isEqualTo("cluster");
    assertThat(
            LauncherOptions.parse(
                    new String[0],
                    Map.of("QUMA_REDIS_URL", "redis://a:1", "QUMA_REDIS_CLIENT_TYPE", "sentinel"))
                .redisClientType())
        .isEqualTo("sentinel");
    assertThatThrownBy(
            () ->
                LauncherOptions.parse(
                    new String[] {
                      "--redis-url", "redis://a:1,b:2", "--redis-client-type", "cluster"
                    },
                    Map.of()))
        .hasMessageContaining("must start with redis:// or rediss://, got b:2");
    assertThatThrownBy(
            () ->
                LauncherOptions.parse(
                    new String[] {"--redis-url", "redis://a:1", "--redis-client-type", "shard"},
                    Map.of()))
        .hasMessageContaining("standalone, cluster or sentinel");
    assertThatThrownBy(
            () -> LauncherOptions.parse(new String[] {"--redis-client-type", "cluster"}, Map.of()))
        .hasMessageContaining("needs --redis-url");
  }

  @Test
  void badArgumentsAreClearErrors() {
    assertThatThrownBy(() -> LauncherOptions.parse(new String[] {"--redis-url"}, Map.of()))
        .hasMessage("--redis-url needs a value");
    assertThatThrownBy(
            () -> LauncherOptions.parse(new String[] {"--redis-url", "localhost:6379"}, Map.of()))
        .hasMessageContaining("must start with redis://");
    assertThatThrownBy(() -> LauncherOptions.parse(new String[] {"--bogus"}, Map.of()))
        .hasMessage("unknown option --bogus");
  }

  @Test
  void theDemoRunsOnlyWhenAskedFor() {
    assertThat(LauncherOptions.parse(new String[0], Map.of()).demo()).isFalse();
    assertThat(LauncherOptions.parse(new String[] {"--demo"}, Map.of()).demo()).isTrue();
  }

  @Test
  void aConfiguredDatabaseMeansNoLocalPostgres() {
    assertThat(LauncherOptions.parse(new String[0], Map.of()).databaseUrl()).isNull();
    assertThat(
            LauncherOptions.parse(
                    new String[0], Map.of("QUMA_DATABASE_URL", "postgresql://db:5432/quma"))
                .databaseUrl())
        .isEqualTo("postgresql://db:5432/quma");
    assertThat(
            LauncherOptions.parse(
                    new String[] {"--database-url", "postgresql://x:1/q"},
                    Map.of("QUMA_DATABASE_URL", "postgresql://db:5432/quma"))
                .databaseUrl())
        .isEqualTo("postgresql://x:1/q");
    assertThatThrownBy(
            () -> LauncherOptions.parse(new String[] {"--database-url", "jdbc:x"}, Map.of()))
        .hasMessageContaining("must start with postgresql://");
  }

  @Test
  void theTokenServiceRunsOnKumasNextPort() {
    assertThat(ServiceSpec.all(java.nio.file.Path.of("/q")))
        .extracting(ServiceSpec::name, ServiceSpec::httpPort)
        .contains(
            org.assertj.core.groups.Tuple.tuple("api-service", 5681),
            org.assertj.core.groups.Tuple.tuple("token-service", 5683));
  }

  @Test
  void theBootstrapServiceIsProbedOnItsPlainManagementPort() {
    ServiceSpec bootstrap =
        ServiceSpec.all(java.nio.file.Path.of("/q")).stream()
            .filter(s -> s.name().equals("bootstrap-service"))
            .findFirst()
            .orElseThrow();
    assertThat(bootstrap.httpPort()).isEqualTo(5684);
    assertThat(bootstrap.environment())
        .containsEntry("QUMA_BOOTSTRAP_PORT", "5682")
        .containsEntry("QUMA_TLS_DIR", "/q/.quma/tls/bootstrap-service");
  }
}

package dev.quma.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.StoreSettings;
import dev.quma.testing.OnRedisCluster;
import dev.quma.testing.PrivateRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The certificate a service issues itself before Quarkus starts comes from a cluster named by the
 * one setting (QUMA_REDIS_URL with several nodes, QUMA_REDIS_CLIENT_TYPE=cluster).
 */
@OnRedisCluster
class ServerTlsOnClusterTest {
  @RegisterExtension static PrivateRedis redis = new PrivateRedis();

  @AfterEach
  void forgetTheSetting() {
    System.clearProperty("quma.redis.url");
    System.clearProperty("quma.redis.client-type");
    System.clearProperty("quma.tls.dir");
  }

  @Test
  void issuesFromTheCaInTheCluster(@TempDir Path dir) throws Exception {
    System.setProperty("quma.redis.url", redis.cluster().urlSetting());
    System.setProperty("quma.redis.client-type", "cluster");
    System.setProperty("quma.tls.dir", dir.toString());

    TlsFiles files = ServerTls.issue("test-service");

    assertThat(Files.readString(files.certificate())).contains("BEGIN CERTIFICATE");
    CertificateAuthority stored =
        new ControlPlaneCa(
                new ResourceStore(redis.client(), StoreSettings.DEFAULTS), Clock.systemUTC())
            .ensure()
            .await()
            .atMost(Duration.ofSeconds(10));
    assertThat(ServerTls.issuer())
        .hasValueSatisfying(
            issuer -> assertThat(issuer.certificate()).isEqualTo(stored.certificate()));
  }
}

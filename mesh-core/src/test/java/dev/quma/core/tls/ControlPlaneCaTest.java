package dev.quma.core.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.StoreSettings;
import dev.quma.testing.PrivateRedis;
import io.smallrye.mutiny.Uni;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ControlPlaneCaTest {
  @RegisterExtension static PrivateRedis redis = new PrivateRedis();

  @Test
  void replicasRacingForTheCaEndWithOneAndItsServerCertificatesAreTrusted() throws Exception {
    ResourceStore store = new ResourceStore(redis.client(), StoreSettings.DEFAULTS);
    List<CertificateAuthority> cas =
        Uni.join()
            .all(
                new ControlPlaneCa(store, Clock.systemUTC()).ensure(),
                new ControlPlaneCa(store, Clock.systemUTC()).ensure())
            .andFailFast()
            .await()
            .atMost(Duration.ofSeconds(20));
    assertThat(cas.get(0).certificate()).isEqualTo(cas.get(1).certificate());

    ServerCertificate server =
        cas.get(0)
            .issueServer(
                List.of("xds.example.internal", "127.0.0.1"), Instant.now(), Duration.ofDays(30));
    Collection<? extends java.security.cert.Certificate> chain =
        CertificateFactory.getInstance("X.509")
            .generateCertificates(
                new ByteArrayInputStream(server.chainPem().getBytes(StandardCharsets.US_ASCII)));
    X509Certificate[] certificates = chain.toArray(X509Certificate[]::new);
    assertThat(certificates).hasSize(2);
    assertThat(
            certificates[0].getSubjectAlternativeNames().stream()
                .map(n -> (Object) n.get(1))
                .toList())
        .containsExactly("xds.example.internal", "127.0.0.1");

    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", cas.get(0).certificate());
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    ((X509TrustManager) factory.getTrustManagers()[0])
        .checkServerTrusted(certificates, "ECDHE_ECDSA"); // throws if not trusted
    assertThat(server.toString()).doesNotContain("PRIVATE KEY");
  }
}

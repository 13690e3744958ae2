package dev.quma.bootstrap.testing;

import dev.quma.core.tls.CertificateAuthority;
import dev.quma.core.tls.TlsFiles;
import dev.quma.local.LocalRedis;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An operator's setup: HTTPS only, with a configured certificate, and the CA of the xDS tier's
 * certificate given as a file (here one CA signs both).
 */
public class TlsTestResources implements QuarkusTestResourceLifecycleManager {
  private static volatile Path caFile;
  private LocalRedis redis;

  @Override
  public Map<String, String> start() {
    redis = LocalRedis.startEphemeral();
    try {
      Path dir = Files.createTempDirectory("bootstrap-tls");
      Instant now = Instant.now();
      CertificateAuthority ca = CertificateAuthority.generate(now);
      TlsFiles tls =
          TlsFiles.write(
              dir, ca.issueServer(List.of("localhost", "127.0.0.1"), now, Duration.ofDays(1)), ca);
      caFile = tls.ca();
      return Map.of(
          "quma.redis.url", redis.url(),
          "quarkus.http.ssl.certificate.files", tls.certificate().toString(),
          "quarkus.http.ssl.certificate.key-files", tls.key().toString(),
          "quarkus.http.insecure-requests", "disabled",
          "quma.bootstrap.xds-host", "xds.test.internal",
          "quma.bootstrap.xds-ca-file", tls.ca().toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The CA file the service's certificate chains to, as an agent would be given it. */
  public static Path caFile() {
    return caFile;
  }

  @Override
  public void stop() {
    if (redis != null) {
      redis.close();
    }
  }
}

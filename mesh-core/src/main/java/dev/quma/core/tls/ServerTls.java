package dev.quma.core.tls;

import dev.quma.core.runtime.EarlyConfig;
import dev.quma.core.runtime.RedisDeployment;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.StoreSettings;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Gives a service a server certificate before it starts listening: one the operator configured, or
 * else one issued at start by the control plane's CA from the store (created on first need), for
 * the host names in {@code quma.tls.hostnames}. Runs in the service's main method, before Quarkus.
 */
public final class ServerTls {
  private static final Duration LEAF_VALIDITY = Duration.ofDays(365);
  // The CA this process's certificate comes from, to put back into a store that lost it.
  private static volatile CertificateAuthority issuer;

  private ServerTls() {}

  /**
   * Issues a certificate and writes it under {@code quma.tls.dir} (default: a directory in the
   * system's temporary directory named after the service).
   */
  public static TlsFiles issue(String service) {
    List<String> hostnames = EarlyConfig.list("quma.tls.hostnames", defaultHostnames());
    Path dir =
        Path.of(
            EarlyConfig.get(
                "quma.tls.dir",
                Path.of(
                        System.getProperty("java.io.tmpdir"),
                        "quma-tls",
                        service + "-" + ProcessHandle.current().pid())
                    .toString()));
    RedisDeployment deployment = RedisDeployment.fromEarlyConfig();
    StoreSettings settings =
        new StoreSettings(
            EarlyConfig.get("quma.store.key-prefix", StoreSettings.DEFAULTS.keyPrefix()),
            StoreSettings.DEFAULTS.streamMaxLength());
    Vertx vertx = Vertx.vertx();
    Redis redis = deployment.client(vertx);
    try {
      ResourceStore store = new ResourceStore(redis, settings);
      CertificateAuthority ca =
          new ControlPlaneCa(store, Clock.systemUTC())
              .ensure()
              .await()
              .atMost(Duration.ofSeconds(30));
      ServerCertificate certificate =
          ca.issueServer(hostnames, Clock.systemUTC().instant(), LEAF_VALIDITY);
      issuer = ca;
      return TlsFiles.write(dir, certificate, ca);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          service
              + " could not get a certificate from the control plane CA in Redis ("
              + deployment.describe()
              + ")"
              + ": "
              + e.getMessage(),
          e);
    } finally {
      redis.close();
      vertx.closeAndAwait();
    }
  }

  /** The CA that issued this process's certificate, if it issued one from the store's CA. */
  public static java.util.Optional<CertificateAuthority> issuer() {
    return java.util.Optional.ofNullable(issuer);
  }

  /**
   * localhost, loopback and this machine's name: enough for a laptop; set quma.tls.hostnames for
   * the cloud.
   */
  static List<String> defaultHostnames() {
    List<String> names = new ArrayList<>(List.of("localhost", "127.0.0.1"));
    try {
      String host = InetAddress.getLocalHost().getHostName();
      if (!names.contains(host)) {
        names.add(host);
      }
    } catch (UnknownHostException e) {
      // loopback only
    }
    return names;
  }
}

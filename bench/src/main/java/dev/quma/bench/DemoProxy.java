package dev.quma.bench;

import dev.quma.core.events.ChangeStream;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.StoreSettings;
import dev.quma.core.tls.CertificateAuthority;
import dev.quma.core.tls.ControlPlaneCa;
import dev.quma.core.tokens.ProxyTokens;
import dev.quma.core.tokens.SigningKeyManager;
import dev.quma.envoysim.SimulatedEnvoy;
import dev.quma.envoysim.XdsChannels;
import io.grpc.ManagedChannel;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * One simulated Envoy for a dataplane that is already registered, connected to a running control
 * plane (what {@code bin/run} starts) until Ctrl-C, so that a walkthrough can show a proxy online
 * without installing Envoy. It takes what a real agent would be given from the store itself: the
 * control plane's CA to trust, and a dataplane token for the proxy.
 *
 * <p>Usage: {@code bin/demo-proxy [--mesh default] [--name redis-1] [--xds localhost:5678]}; Redis
 * from {@code QUMA_REDIS_URL} (default {@code redis://127.0.0.1:6379}).
 */
public final class DemoProxy {
  private DemoProxy() {}

  public static void main(String[] args) throws Exception {
    try {
      run(args);
    } catch (RuntimeException e) {
      // A message for the operator, not a stack trace: what failed and the likely reason.
      System.err.println(
          "demo-proxy: "
              + e.getMessage()
              + " (is the control plane running, and QUMA_REDIS_URL its Redis?)");
      System.exit(1);
    }
  }

  private static void run(String[] args) throws Exception {
    String mesh = option(args, "--mesh", "default");
    String name = option(args, "--name", "redis-1");
    String[] xds = option(args, "--xds", "localhost:5678").split(":", 2);
    String redisUrl =
        Optional.ofNullable(System.getenv("QUMA_REDIS_URL")).orElse("redis://127.0.0.1:6379");

    Vertx vertx = Vertx.vertx();
    Redis redis = Redis.createClient(vertx, redisUrl);
    ResourceStore store = new ResourceStore(redis, StoreSettings.DEFAULTS);
    Duration wait = Duration.ofSeconds(30);
    CertificateAuthority ca =
        new ControlPlaneCa(store, Clock.systemUTC()).ensure().await().atMost(wait);
    Path caFile = Files.createTempFile("quma-demo-ca", ".crt");
    Files.writeString(caFile, ca.certificatePem());
    String token =
        ProxyTokens.issue(
                new SigningKeyManager(
                    store, new ChangeStream(redis, store.keys()), Optional.empty()),
                mesh,
                name,
                Duration.ofHours(24))
            .await()
            .atMost(wait);

    ManagedChannel channel = XdsChannels.tls(xds[0], Integer.parseInt(xds[1]), caFile);
    SimulatedEnvoy envoy = SimulatedEnvoy.builder(mesh + "." + name).token(token).build();
    envoy.connect(channel);
    if (!envoy.await(wait, envoy::configured)) {
      System.err.println(
          "the proxy "
              + mesh
              + "."
              + name
              + " did not get its configuration: "
              + envoy.closedWith()
              + " (is the dataplane registered, and xds-service running?)");
      System.exit(1);
    }
    System.out.println(
        mesh + "." + name + " is connected to " + String.join(":", xds) + "; Ctrl-C to leave");
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  envoy.leave();
                  channel.shutdown();
                  stopped.countDown();
                }));
    stopped.await();
  }

  private static String option(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return fallback;
  }
}

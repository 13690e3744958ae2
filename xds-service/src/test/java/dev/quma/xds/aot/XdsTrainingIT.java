package dev.quma.xds.aot;

import dev.quma.core.events.ChangeStream;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.StoreSettings;
import dev.quma.core.tokens.ProxyTokens;
import dev.quma.core.tokens.SigningKeyManager;
import dev.quma.envoysim.SimulatedEnvoy;
import dev.quma.envoysim.XdsChannels;
import dev.quma.xds.testing.Seeds;
import dev.quma.xds.testing.XdsTestResources;
import io.grpc.ManagedChannel;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The training run of xds-service's AOT cache (profile aot, docs/start.md): simulated Envoys open
 * ADS streams (SotW and Delta, with dataplane tokens, over TLS) to the packaged service and take
 * their config, and a change reaches them, so the xDS paths are in the cache. Not a test of
 * behaviour, and not run by bin/test.
 */
@QuarkusIntegrationTest
@WithTestResource(XdsTestResources.class)
@WithTestResource(XdsTrainingIT.TlsDir.class)
class XdsTrainingIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** Where the service writes the CA of its gRPC certificate, which the simulated Envoys trust. */
  public static class TlsDir implements QuarkusTestResourceLifecycleManager {
    static volatile Path dir;

    @Override
    public Map<String, String> start() {
      try {
        dir = Files.createTempDirectory("xds-training-tls");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return Map.of("quma.tls.dir", dir.toString());
    }

    @Override
    public void stop() {}
  }

  @Test
  void proxiesJoinAndFollowAChange() throws InterruptedException {
    Vertx vertx = Vertx.vertx();
    List<SimulatedEnvoy> envoys = new ArrayList<>();
    ManagedChannel channel = null;
    try {
      Redis redis = Redis.createClient(vertx, XdsTestResources.redisUrl());
      ResourceStore store = new ResourceStore(redis, StoreSettings.DEFAULTS);
      store.create(Seeds.defaultMesh()).await().atMost(WAIT);
      SigningKeyManager keys =
          new SigningKeyManager(store, new ChangeStream(redis, store.keys()), Optional.empty());
      Path ca = TlsDir.dir.resolve("ca.crt");
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!Files.exists(ca) && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      channel = XdsChannels.tls("localhost", XdsTestResources.grpcPort(), ca);
      for (int i = 1; i <= 10; i++) {
        String name = "redis-" + i;
        String resource =
            i % 2 == 0
                ? Seeds.redis(name, "10.0.0." + i)
                : Seeds.backend("backend-" + i, "10.0.1." + i);
        String proxy = i % 2 == 0 ? name : "backend-" + i;
        SimulatedEnvoy envoy =
            SimulatedEnvoy.builder("default." + proxy)
                .dataplaneResource(resource)
                .mode(i % 4 < 2 ? SimulatedEnvoy.Mode.SOTW : SimulatedEnvoy.Mode.DELTA)
                .token(
                    ProxyTokens.issue(keys, "default", proxy, Duration.ofHours(1))
                        .await()
                        .atMost(WAIT))
                .build();
        envoys.add(envoy.connect(channel));
      }
      for (SimulatedEnvoy envoy : envoys) {
        if (!envoy.await(WAIT, envoy::configured)) {
          throw new AssertionError("a simulated Envoy was not configured: " + envoy.closedWith());
        }
      }
      SimulatedEnvoy backend = envoys.get(0);
      store.create(Seeds.resource(Seeds.redis("redis-new", "10.0.2.1"))).await().atMost(WAIT);
      if (!backend.await(
          WAIT, () -> backend.endpointAddresses("redis").contains("10.0.2.1:9000"))) {
        throw new AssertionError("the change did not reach the backend");
      }
    } finally {
      envoys.forEach(SimulatedEnvoy::drop);
      if (channel != null) {
        channel.shutdownNow();
      }
      vertx.closeAndAwait();
    }
  }
}

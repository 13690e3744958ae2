package dev.quma.xds.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.core.events.ChangeStream;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.tokens.ProxyTokens;
import dev.quma.core.tokens.SigningKeyManager;
import dev.quma.envoysim.SimulatedEnvoy;
import dev.quma.xds.snapshot.ProxySnapshots;
import dev.quma.xds.testing.JudgingCache;
import dev.quma.xds.testing.Seeds;
import dev.quma.xds.testing.XdsTestResources;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The xDS replica's views when the change stream is trimmed past what the replica had read: it
 * loads the mesh anew, and its proxies get the config of every change, the trimmed ones too.
 */
@QuarkusTest
@QuarkusTestResource(XdsTestResources.class)
@TestProfile(AdsStreamTest.FastLifecycle.class)
class ViewResyncTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String MESH = "resync";

  @Inject ProxySnapshots snapshots;
  @Inject ResourceStore store;
  @Inject ChangeStream changes;
  @Inject Redis redis;

  @Inject
  @Named("xds-view")
  ExecutorService viewThread;

  private final List<SimulatedEnvoy> envoys = new ArrayList<>();
  private ManagedChannel channel;

  @AfterEach
  void disconnect() {
    envoys.forEach(SimulatedEnvoy::drop);
    if (channel != null) {
      channel.shutdownNow();
    }
  }

  @Test
  void aStreamTrimmedPastTheReplicaIsLoadedAnewAndItsProxiesGetEveryChange() throws Exception {
    await(store.create(Seeds.mesh(MESH)));
    channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", XdsTestResources.grpcPort())
            .usePlaintext()
            .build();
    SigningKeyManager keys = new SigningKeyManager(store, changes, Optional.empty());
    join(keys, "redis-1", Seeds.redis(MESH, "redis-1", "10.9.0.1"));
    SimulatedEnvoy backend = join(keys, "backend-1", Seeds.backend(MESH, "backend-1", "10.9.0.9"));
    assertThat(backend.await(WAIT, () -> backend.endpointAddresses("redis").equals(redis(1))))
        .isTrue();

    // The replica falls behind: its view thread is busy while redis-2 comes...
    CountDownLatch busy = new CountDownLatch(1);
    viewThread.submit(() -> busy.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    await(store.create(Seeds.resource(Seeds.redis(MESH, "redis-2", "10.9.0.2"))));
    Thread.sleep(200); // time to read redis-2 and wait on the view thread
    // ...and redis-3 and redis-4 come, after which the stream keeps only redis-4's event.
    await(store.create(Seeds.resource(Seeds.redis(MESH, "redis-3", "10.9.0.3"))));
    await(store.create(Seeds.resource(Seeds.redis(MESH, "redis-4", "10.9.0.4"))));
    await(redis.send(Request.cmd(Command.XTRIM).arg(changes.key(MESH)).arg("MAXLEN").arg(1)));
    busy.countDown();

    assertThat(backend.await(WAIT, () -> backend.endpointAddresses("redis").equals(redis(4))))
        .as("redis-3 is known only from reloading the mesh: %s", backend.endpointAddresses("redis"))
        .isTrue();

    await(store.create(Seeds.resource(Seeds.redis(MESH, "redis-5", "10.9.0.5"))));
    assertThat(backend.await(WAIT, () -> backend.endpointAddresses("redis").equals(redis(5))))
        .as("and follows the stream from the reload on: %s", backend.endpointAddresses("redis"))
        .isTrue();
  }

  private static List<String> redis(int count) {
    List<String> addresses = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      addresses.add("10.9.0." + i + ":9000");
    }
    return addresses;
  }

  private SimulatedEnvoy join(SigningKeyManager keys, String name, String resource) {
    SimulatedEnvoy envoy =
        SimulatedEnvoy.builder(MESH + "." + name)
            .dataplaneResource(resource)
            .token(await(ProxyTokens.issue(keys, MESH, name, Duration.ofHours(1))))
            .build();
    envoys.add(envoy.connect(channel));
    assertThat(envoy.await(WAIT, envoy::configured))
        .as(name + " configured, stream status " + envoy.closedWith())
        .isTrue();
    return envoy;
  }

  private static <T> T await(Uni<T> uni) {
    return uni.await().atMost(WAIT);
  }

  @AfterEach
  void everyPushPassedEnvoysRules() {
    JudgingCache.assertEveryPushValid(snapshots);
  }
}

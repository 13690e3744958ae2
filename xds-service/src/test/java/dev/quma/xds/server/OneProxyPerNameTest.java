package dev.quma.xds.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.core.events.ChangeStream;
import dev.quma.core.insight.DataplaneInsight;
import dev.quma.core.insight.DataplaneInsight.DiscoverySubscription;
import dev.quma.core.insight.InsightReader;
import dev.quma.core.insight.InsightWriter;
import dev.quma.core.insight.ReplicaRun;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.ResourceConflictException;
import dev.quma.core.store.ResourceStore;
import dev.quma.envoysim.SimulatedEnvoy;
import dev.quma.xds.testing.DirectProxies;
import dev.quma.xds.testing.Seeds;
import dev.quma.xds.testing.XdsTestResources;
import io.grpc.Status;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One proxy per name (issue 15, item 7), over real gRPC against a real Redis: a second proxy
 * instance under a name that a live stream holds is refused with {@code ALREADY_EXISTS}, whether it
 * offers the same resource or none (Indirect), while the same instance reconnecting, and a
 * restarted proxy once its old stream is gone or stale, are served.
 */
@QuarkusTest
@QuarkusTestResource(XdsTestResources.class)
@TestProfile(AdsStreamTest.FastLifecycle.class)
class OneProxyPerNameTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Inject ResourceStore store;
  @Inject InsightReader insights;
  @Inject InsightWriter writer;
  @Inject ChangeStream changes;

  private DirectProxies proxies;

  @BeforeEach
  void meshAndProxies() {
    await(
        store
            .create(Seeds.defaultMesh())
            .onFailure(ResourceConflictException.class)
            .recoverWithNull());
    proxies = new DirectProxies("default", XdsTestResources.grpcPort(), store, changes, WAIT);
  }

  @AfterEach
  void disconnect() {
    proxies.close();
  }

  @Test
  void aSecondProxyOfferingTheSameResourceIsAlreadyExists() {
    // Two hosts started from copies of one dataplane file: both used to be served.
    String resource = Seeds.redis("twin-1", "10.20.0.1");
    SimulatedEnvoy first = join(proxy("twin-1", "host-a").dataplaneResource(resource));
    long version = await(store.get(ResourceType.DATAPLANE, "default", "twin-1")).version();

    Status second = refusal(proxy("twin-1", "host-b").dataplaneResource(resource));

    assertThat(second.getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
    assertThat(second.getDescription())
        .contains("another proxy named \"twin-1\" of mesh \"default\" is connected")
        .contains("xDS replica ")
        .contains("two proxies cannot share a name");
    assertThat(first.closedWith()).as("the first proxy keeps its stream").isNull();
    assertThat(await(store.get(ResourceType.DATAPLANE, "default", "twin-1")).version())
        .as("nothing written for the refused one")
        .isEqualTo(version);
    assertThat(openSubscriptions("twin-1")).hasSize(1);
  }

  @Test
  void aSecondProxyOfAnIndirectDataplaneIsAlreadyExistsUntilTheFirstLeaves() {
    await(store.create(Seeds.resource(Seeds.redis("indirect-1", "10.20.1.1"))));
    SimulatedEnvoy first = join(proxy("indirect-1", "host-a"));

    Status second = refusal(proxy("indirect-1", "host-b"));

    assertThat(second.getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
    assertThat(second.getDescription()).contains("another proxy named \"indirect-1\"");
    assertThat(first.closedWith()).isNull();

    first.leave();
    waitFor(() -> !await(insights.get("default", "indirect-1")).online()); // its stream ended
    join(proxy("indirect-1", "host-b"));
  }

  @Test
  void theSameInstanceReconnectingIsServedAndItsOlderStreamEnds() throws InterruptedException {
    // The proxy's connection broke without this replica noticing: its old stream still looks open.
    String resource = Seeds.redis("moving-1", "10.20.2.1");
    SimulatedEnvoy before = join(proxy("moving-1", "host-a").dataplaneResource(resource));

    SimulatedEnvoy after = join(proxy("moving-1", "host-a").dataplaneResource(resource));

    assertThat(before.await(WAIT, () -> before.closedWith() != null))
        .as("the older stream of the same instance is ended")
        .isTrue();
    assertThat(before.closedWith().getCode()).isEqualTo(Status.Code.ABORTED);
    assertThat(after.closedWith()).isNull();
    Thread.sleep(800); // longer than the deregistration delay
    assertThat(await(store.find(ResourceType.DATAPLANE, "default", "moving-1")))
        .as("a superseded stream deregisters nothing")
        .isPresent();
    waitFor(() -> openSubscriptions("moving-1").size() == 1);
  }

  @Test
  void aRestartedProxyIsServedOnceItsOldStreamHasEnded() {
    String resource = Seeds.redis("restart-1", "10.20.3.1");
    SimulatedEnvoy old = join(proxy("restart-1", "process-1").dataplaneResource(resource));

    old.drop(); // killed: its connection goes with the process
    waitFor(() -> !await(insights.get("default", "restart-1")).online()); // its stream ended

    join(proxy("restart-1", "process-2").dataplaneResource(resource));
    assertThat(openSubscriptions("restart-1")).hasSize(1);
  }

  @Test
  void aStreamOnAnotherReplicaHoldsTheNameUntilThatReplicasHeartbeatRunsOut()
      throws InterruptedException {
    String resource = Seeds.redis("elsewhere-1", "10.20.4.1");
    await(store.create(Seeds.resource(resource)));
    // Another replica serves the proxy and then crashes: its heartbeats vouch for it 1.5 s more.
    Instant now = Instant.now();
    ReplicaRun crashing =
        new ReplicaRun("xds-crashing", now.toEpochMilli(), Duration.ofMillis(1500));
    var opened =
        await(
            writer.openAs(
                "default",
                "elsewhere-1",
                new DiscoverySubscription(
                    UUID.randomUUID().toString(), "xds-crashing", now, null, null, null, 0),
                new InsightWriter.Claim("host-a", Duration.ofSeconds(5)),
                now,
                crashing));
    assertThat(opened.outcome()).isEqualTo(InsightWriter.Opening.Outcome.OPENED);

    Status whileLive = refusal(proxy("elsewhere-1", "host-b").dataplaneResource(resource));
    assertThat(whileLive.getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
    assertThat(whileLive.getDescription()).contains("xDS replica xds-crashing, since ");

    Thread.sleep(1600);
    join(proxy("elsewhere-1", "host-b").dataplaneResource(resource));
  }

  @Test
  void proxiesThatSendNoInstanceAreJudgedByTheirResourceAlone() {
    // A proxy whose bootstrap did not come from bootstrap-service: a reconnect cannot be told from
    // a second proxy, so only another resource is refused (the bootstrap's 409 rule).
    String resource = Seeds.redis("anonymous-1", "10.20.5.1");
    join(proxies.proxy("anonymous-1").dataplaneResource(resource));
    join(proxies.proxy("anonymous-1").dataplaneResource(resource));
    Status other =
        refusal(
            proxies
                .proxy("anonymous-1")
                .dataplaneResource(Seeds.redis("anonymous-1", "10.20.5.2")));
    assertThat(other.getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** A proxy process ({@code instance}) under {@code name}. */
  private SimulatedEnvoy.Builder proxy(String name, String instance) {
    return proxies.proxy(name).proxyInstance(instance);
  }

  private SimulatedEnvoy join(SimulatedEnvoy.Builder builder) {
    return proxies.join(builder);
  }

  private Status refusal(SimulatedEnvoy.Builder builder) {
    return proxies.refusal(builder);
  }

  private List<DiscoverySubscription> openSubscriptions(String name) {
    DataplaneInsight insight = await(insights.get("default", name));
    return insight.subscriptions().stream().filter(s -> s.disconnectTime() == null).toList();
  }

  private static void waitFor(BooleanSupplier condition) {
    DirectProxies.waitFor(condition, WAIT);
  }

  private static <T> T await(Uni<T> uni) {
    return DirectProxies.await(uni, WAIT);
  }
}

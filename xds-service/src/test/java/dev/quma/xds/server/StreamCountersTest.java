package dev.quma.xds.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.core.events.ChangeStream;
import dev.quma.core.insight.DataplaneInsight.DiscoverySubscription;
import dev.quma.core.insight.InsightReader;
import dev.quma.core.store.ResourceConflictException;
import dev.quma.core.store.ResourceStore;
import dev.quma.envoysim.SimulatedEnvoy;
import dev.quma.xds.snapshot.ProxyKey;
import dev.quma.xds.streams.ConfigMemory;
import dev.quma.xds.streams.ProxyStreams;
import dev.quma.xds.streams.StreamSession;
import dev.quma.xds.testing.DirectProxies;
import dev.quma.xds.testing.Seeds;
import dev.quma.xds.testing.XdsTestResources;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What each ADS stream sent and its proxy acknowledged or rejected, counted from
 * java-control-plane's callbacks ({@link StreamCounters}), over real gRPC against a real Redis: in
 * the stream's own subscription, the config dump's memory and {@code xds_nacks_total}, for state of
 * the world and Delta.
 */
@QuarkusTest
@QuarkusTestResource(XdsTestResources.class)
@TestProfile(AdsStreamTest.FastLifecycle.class)
class StreamCountersTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Inject ResourceStore store;
  @Inject InsightReader insights;
  @Inject ChangeStream changes;
  @Inject StreamCounters counters;
  @Inject MeterRegistry registry;
  @Inject ProxyStreams streams;

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

  @ParameterizedTest
  @EnumSource(SimulatedEnvoy.Mode.class)
  void aRejectedConfigIsCountedOnceInTheSubscriptionTheDumpAndTheMetric(SimulatedEnvoy.Mode mode) {
    String name = "counted-" + mode.name().toLowerCase();
    double nacksBefore = nacks();
    int streamsBefore = counters.streams();
    AtomicInteger clusterResponses = new AtomicInteger();
    SimulatedEnvoy picky =
        proxies.connect(
            proxies
                .proxy(name)
                .dataplaneResource(Seeds.redis(name, "10.30.0.1"))
                .mode(mode)
                .rejecting(
                    update ->
                        update.typeUrl().equals(SimulatedEnvoy.CLUSTERS)
                            && clusterResponses.incrementAndGet() == 1));

    waitFor(
        () ->
            picky.nacks(SimulatedEnvoy.CLUSTERS) == 1 && picky.acks(SimulatedEnvoy.LISTENERS) >= 1);
    waitFor(() -> nacks() == nacksBefore + 1);
    waitFor(
        () -> {
          DiscoverySubscription subscription = open(name).get(0);
          return subscription.status().cds().responsesRejected() == 1
              && subscription.status().lds().responsesAcknowledged() >= 1;
        });
    DiscoverySubscription subscription = open(name).get(0);
    assertThat(subscription.status().cds().responsesSent()).isEqualTo(1);
    assertThat(subscription.status().cds().responsesAcknowledged()).isZero();
    assertThat(subscription.status().total().responsesRejected()).isEqualTo(1);
    StreamSession session = streams.sessionsOf(new ProxyKey("default", name)).get(0);
    assertThat(session.lastNack()).contains("simulated rejection");
    ConfigMemory.TypeView clusters =
        session.config().view().stream()
            .filter(type -> type.typeUrl().equals(SimulatedEnvoy.CLUSTERS))
            .findFirst()
            .orElseThrow();
    assertThat(clusters.lastRejection()).as("in the config dump's memory").isNotNull();
    assertThat(clusters.lastRejection().sent()).as("matched to what was sent").isNotNull();
    assertThat(counters.streams()).isGreaterThan(0);

    picky.leave();
    waitFor(() -> counters.streams() <= streamsBefore); // the stream is let go when it closes
    assertThat(nacks()).as("counted once").isEqualTo(nacksBefore + 1);
  }

  @Test
  void twoStreamsOfOneNameCountIntoTheirOwnSubscriptions() {
    // Proxies that send no instance id may hold two streams under one name (a reconnect overlap).
    String resource = Seeds.redis("counted-twice", "10.30.1.1");
    proxies.join(proxies.proxy("counted-twice").dataplaneResource(resource));
    proxies.join(proxies.proxy("counted-twice").dataplaneResource(resource));

    waitFor(
        () -> {
          List<DiscoverySubscription> open = open("counted-twice");
          return open.size() == 2
              && open.stream()
                  .allMatch(
                      s ->
                          s.status().cds().responsesAcknowledged() >= 1
                              && s.status().lds().responsesAcknowledged() >= 1);
        });
  }

  private List<DiscoverySubscription> open(String name) {
    return await(insights.get("default", name)).subscriptions().stream()
        .filter(s -> s.disconnectTime() == null)
        .toList();
  }

  private double nacks() {
    var counter = registry.find("xds.nacks").counter();
    return counter == null ? 0 : counter.count();
  }

  private static void waitFor(BooleanSupplier condition) {
    DirectProxies.waitFor(condition, WAIT);
  }

  private static <T> T await(Uni<T> uni) {
    return DirectProxies.await(uni, WAIT);
  }
}

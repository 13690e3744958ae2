package dev.quma.xds.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.core.events.ChangeStream;
import dev.quma.core.store.ResourceStore;
import dev.quma.envoysim.SimulatedEnvoy;
import dev.quma.xds.snapshot.ProxySnapshots;
import dev.quma.xds.testing.DirectProxies;
import dev.quma.xds.testing.JudgingCache;
import dev.quma.xds.testing.Seeds;
import dev.quma.xds.testing.XdsTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Join storms over real gRPC against a real Redis ({@code PushPacing}): a burst of arrivals costs a
 * consumer a few pushes, not one per arrival; a change that comes alone is pushed at once; and a
 * consumer that has not answered its first endpoints is set no intermediate endpoint set and gets
 * the latest when it answers. The delays are long here, so that a paced push is told from one at
 * once. Each test has a mesh of its own.
 */
@QuarkusTest
@QuarkusTestResource(XdsTestResources.class)
@TestProfile(JoinStormTest.LongDelays.class)
class JoinStormTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Duration DELAY = Duration.ofSeconds(3);
  private static final int BURST = 30;

  public static class LongDelays implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "quma.xds.join-storm.threshold", "2",
          "quma.xds.join-storm.delay", DELAY.toMillis() + "ms",
          "quma.xds.join-storm.max-delay", "5s");
    }
  }

  @Inject ResourceStore store;
  @Inject ChangeStream changes;
  @Inject ProxySnapshots snapshots;

  private final List<DirectProxies> fleets = new ArrayList<>();

  @Test
  void aBurstOfArrivalsCostsAConsumerAFewPushesNotOnePerArrival() {
    DirectProxies fleet = fleet("burst");
    SimulatedEnvoy consumer =
        fleet.join("backend-1", Seeds.backend("burst", "backend-1", "10.5.0.9"));
    int before = consumer.responses(SimulatedEnvoy.ENDPOINTS);
    List<SimulatedEnvoy.Builder> burst = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int i = 1; i <= BURST; i++) {
      String address = "10.5.1." + i;
      burst.add(
          fleet.proxy("redis-" + i).dataplaneResource(Seeds.redis("burst", "redis-" + i, address)));
      expected.add(address + ":9000");
    }
    for (SimulatedEnvoy.Builder proxy : burst) { // a fleet arriving over 1.5 s: 20 per second
      fleet.connect(proxy);
      sleep(50);
    }

    DirectProxies.waitFor(
        () -> consumer.endpointAddresses("redis").size() == BURST, WAIT.plusSeconds(10));
    int pushes = consumer.responses(SimulatedEnvoy.ENDPOINTS) - before;
    assertThat(consumer.endpointAddresses("redis")).containsExactlyInAnyOrderElementsOf(expected);
    // One at once (the first arrival, before the rate is a storm), one per delay while the burst
    // lasts, one when it is over. Pushed one by one (threshold out of reach) it was 30.
    assertThat(pushes).as("endpoint pushes to the consumer for %d arrivals", BURST).isBetween(1, 4);
  }

  @Test
  void aChangeThatComesAloneIsPushedAtOnce() {
    DirectProxies fleet = fleet("alone");
    SimulatedEnvoy consumer =
        fleet.join("backend-1", Seeds.backend("alone", "backend-1", "10.6.0.9"));
    DirectProxies.waitFor(() -> snapshots.arrivalsPerSecond() == 0, WAIT); // no storm about

    long start = System.nanoTime();
    fleet.join("redis-1", Seeds.redis("alone", "redis-1", "10.6.0.1"));
    DirectProxies.waitFor(
        () -> consumer.endpointAddresses("redis").equals(List.of("10.6.0.1:9000")), WAIT);
    long millis = (System.nanoTime() - start) / 1_000_000;

    assertThat(millis)
        .as(
            "ms from the proxy's connect to its consumer's new endpoint (a paced push: >= %s)",
            DELAY)
        .isLessThan(1500);
  }

  @Test
  void aConsumerThatHasNotAnsweredGetsNoIntermediateSetThenTheLatest() {
    DirectProxies fleet = fleet("slow");
    fleet.join("redis-0", Seeds.redis("slow", "redis-0", "10.7.0.1"));
    SimulatedEnvoy watcher =
        fleet.join("backend-2", Seeds.backend("slow", "backend-2", "10.7.0.8"));
    SimulatedEnvoy slow =
        fleet.connect(
            fleet
                .proxy("backend-1")
                .dataplaneResource(Seeds.backend("slow", "backend-1", "10.7.0.9"))
                .holdingAnswers(SimulatedEnvoy.ENDPOINTS));
    assertThat(slow.await(WAIT, () -> slow.heldResponses() == 1)).isTrue();
    long setsBefore = JudgingCache.snapshotsSetFor(snapshots, "slow.backend-1");

    List<String> expected = new ArrayList<>(List.of("10.7.0.1:9000"));
    for (int i = 2; i <= 4; i++) {
      fleet.join("redis-" + i, Seeds.redis("slow", "redis-" + i, "10.7.0." + i));
      expected.add("10.7.0." + i + ":9000");
    }
    DirectProxies.waitFor(() -> watcher.endpointAddresses("redis").size() == expected.size(), WAIT);
    assertThat(JudgingCache.snapshotsSetFor(snapshots, "slow.backend-1"))
        .as("snapshots set for the consumer that has not answered")
        .isEqualTo(setsBefore);
    assertThat(slow.responses(SimulatedEnvoy.ENDPOINTS)).isEqualTo(1);

    slow.releaseAnswers();
    DirectProxies.waitFor(() -> slow.endpointAddresses("redis").size() == expected.size(), WAIT);
    assertThat(slow.endpointAddresses("redis")).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(slow.responses(SimulatedEnvoy.ENDPOINTS))
        .as("the first and the latest")
        .isEqualTo(2);
    assertThat(JudgingCache.snapshotsSetFor(snapshots, "slow.backend-1")).isEqualTo(setsBefore + 1);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private DirectProxies fleet(String mesh) {
    DirectProxies.await(store.create(Seeds.mesh(mesh)), WAIT);
    DirectProxies fleet =
        new DirectProxies(mesh, XdsTestResources.grpcPort(), store, changes, WAIT);
    fleets.add(fleet);
    return fleet;
  }

  @AfterEach
  void dropAndJudge() {
    fleets.forEach(DirectProxies::close);
    fleets.clear();
    JudgingCache.assertEveryPushValid(snapshots);
  }
}

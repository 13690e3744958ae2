package dev.quma.core.insight;

import static dev.quma.core.testing.Fixtures.dataplane;
import static dev.quma.core.testing.Fixtures.mesh;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.core.insight.DataplaneInsight.DiscoveryServiceStats;
import dev.quma.core.insight.DataplaneInsight.DiscoverySubscription;
import dev.quma.core.insight.DataplaneInsight.Stats;
import dev.quma.core.insight.InsightWriter.StatusUpdate;
import dev.quma.core.insight.InsightWriter.Updated;
import dev.quma.core.lease.Fence;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.StoreSettings;
import dev.quma.testing.PrivateRedis;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The insight writer the xDS tier runs, against a real Redis. */
class InsightWriterTest {
  @RegisterExtension static PrivateRedis redis = new PrivateRedis();

  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

  private ResourceStore store;
  private InsightWriter writer;
  private InsightReader insights;

  @BeforeEach
  void defaultMesh() {
    store = new ResourceStore(redis.client(), StoreSettings.DEFAULTS);
    writer = new InsightWriter(redis.client(), store.keys());
    insights = new InsightReader(redis.client(), store.keys());
    await(store.create(mesh("default")));
  }

  @Test
  void writesOnlyForExistingDataplanesAndGoesWithThem() {
    assertThat(await(writer.open("default", "a", open("s-1"), NOW))).isFalse();
    assertThat(await(insights.get("default", "a"))).isEqualTo(DataplaneInsight.EMPTY);

    await(store.create(dataplane("default", "a", "web", "10.0.0.1", 80)));
    assertThat(await(writer.open("default", "a", open("s-1"), NOW))).isTrue();
    assertThat(await(insights.get("default", "a")).online()).isTrue();
    assertThat(score("online", "a")).isEqualTo((double) NOW.toEpochMilli());
    assertThat(score("lastseen", "a")).isEqualTo((double) NOW.toEpochMilli());
    assertThat(await(insights.getAll("default", List.of("a", "b"))))
        .extracting(DataplaneInsight::online)
        .containsExactly(true, false);

    await(store.delete(ResourceType.DATAPLANE, "default", "a", OptionalLong.empty()));
    assertThat(await(insights.get("default", "a"))).isEqualTo(DataplaneInsight.EMPTY);
    assertThat(score("online", "a")).as("deleting the dataplane removes its heartbeats").isNull();
    assertThat(score("lastseen", "a")).isNull();
  }

  @Test
  void aDataplaneLeavesTheOnlineSetWhenItsLastSubscriptionCloses() {
    await(store.create(dataplane("default", "a", "web", "10.0.0.1", 80)));
    await(writer.open("default", "a", open("s-1"), NOW));
    await(writer.open("default", "a", open("s-2"), NOW)); // it reconnected before s-1 closed

    await(writer.close("default", "a", closed("s-1", NOW.plusSeconds(1))));
    assertThat(await(insights.get("default", "a")).online()).isTrue();
    assertThat(score("online", "a")).isNotNull();

    await(writer.close("default", "a", closed("s-2", NOW.plusSeconds(2))));
    DataplaneInsight left = await(insights.get("default", "a"));
    assertThat(left.online()).isFalse();
    assertThat(left.subscriptions())
        .extracting(DiscoverySubscription::id, DiscoverySubscription::disconnectTime)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("s-1", NOW.plusSeconds(1)),
            org.assertj.core.groups.Tuple.tuple("s-2", NOW.plusSeconds(2)));
    assertThat(left.subscriptions().get(1).status().total().responsesSent()).isEqualTo(7);
    assertThat(score("online", "a")).isNull();
    assertThat(score("lastseen", "a"))
        .as("the last heartbeat stays")
        .isEqualTo((double) NOW.toEpochMilli());
  }

  @Test
  void keepsTheLastSubscriptionsDroppingClosedOnesFirst() {
    await(store.create(dataplane("default", "a", "web", "10.0.0.1", 80)));
    await(writer.open("default", "a", open("first"), NOW));
    for (int i = 0; i < 12; i++) {
      await(writer.open("default", "a", open("s-" + i), NOW));
      await(writer.close("default", "a", closed("s-" + i, NOW)));
    }
    List<DiscoverySubscription> kept = await(insights.get("default", "a")).subscriptions();
    assertThat(kept).hasSize(10);
    assertThat(kept.get(0).id()).as("the open one is kept").isEqualTo("first");
    assertThat(kept.get(9).id()).isEqualTo("s-11");
  }

  @Test
  void countersAreUpdatedUnlessTheSubscriptionWasClosedOrIsGone() {
    await(store.create(dataplane("default", "a", "web", "10.0.0.1", 80)));
    await(store.create(dataplane("default", "b", "web", "10.0.0.2", 80)));
    await(writer.open("default", "a", open("s-a"), NOW));
    await(writer.open("default", "b", open("s-b"), NOW.minus(Duration.ofMinutes(10))));
    new Heartbeats(redis.client(), store.keys())
        .markOffline("default", List.of("b"), NOW, NOW, new Fence("sweeper", 1))
        .await()
        .atMost(Duration.ofSeconds(10));

    List<Updated> outcomes =
        await(
            writer.update(
                List.of(
                    new StatusUpdate("default", "a", "s-a", status(3)),
                    new StatusUpdate("default", "b", "s-b", status(3)),
                    new StatusUpdate("default", "a", "s-unknown", status(3)),
                    new StatusUpdate("default", "c", "s-c", status(3)))));

    assertThat(outcomes)
        .containsExactly(Updated.WRITTEN, Updated.CLOSED, Updated.GONE, Updated.GONE);
    assertThat(
            await(insights.get("default", "a"))
                .subscriptions()
                .get(0)
                .status()
                .total()
                .responsesSent())
        .isEqualTo(3);
  }

  @Test
  void heartbeatsRefreshTheOnlineAndTellWhoFellOut() {
    await(store.create(dataplane("default", "a", "web", "10.0.0.1", 80)));
    await(store.create(dataplane("default", "b", "web", "10.0.0.2", 80)));
    await(writer.open("default", "a", open("s-a"), NOW));
    await(writer.open("default", "b", open("s-b"), NOW));
    await(writer.close("default", "b", closed("s-b", NOW)));

    Instant later = NOW.plusSeconds(10);
    Map<String, Set<String>> lost =
        await(writer.heartbeat(Map.of("default", List.of("a", "b")), later));

    assertThat(lost).containsExactly(Map.entry("default", Set.of("b")));
    assertThat(score("online", "a")).isEqualTo((double) later.toEpochMilli());
    assertThat(score("lastseen", "a")).isEqualTo((double) later.toEpochMilli());
    assertThat(score("lastseen", "b"))
        .as("no heartbeat for who fell out")
        .isEqualTo((double) NOW.toEpochMilli());
    assertThat(await(writer.heartbeat(Map.of(), later))).isEmpty();
  }

  @Test
  void aLiveSubscriptionOfAnotherProxyInstanceHoldsTheName() {
    await(store.create(dataplane("default", "a", "web", "10.0.0.1", 80)));
    ReplicaRun replica = new ReplicaRun("cp-1", NOW.toEpochMilli(), Duration.ofSeconds(30));
    Duration within = Duration.ofSeconds(30);
    assertThat(await(writer.openAs("default", "a", open("s-1"), claim("p-1"), NOW, replica)))
        .extracting(InsightWriter.Opening::outcome)
        .isEqualTo(InsightWriter.Opening.Outcome.OPENED);

    var held = await(writer.openAs("default", "a", open("s-2"), claim("p-2"), NOW, replica));
    assertThat(held.outcome()).isEqualTo(InsightWriter.Opening.Outcome.HELD);
    assertThat(held.holder().replica()).isEqualTo("cp-1");
    assertThat(held.holder().since()).isEqualTo(NOW.toString());
    assertThat(await(insights.get("default", "a")).subscriptions())
        .as("nothing written for the refused one")
        .extracting(DiscoverySubscription::id)
        .containsExactly("s-1");

    // The same instance (a reconnect) and one that does not say which it is are not held off.
    assertThat(await(writer.openAs("default", "a", open("s-3"), claim("p-1"), NOW, replica)))
        .extracting(InsightWriter.Opening::outcome)
        .isEqualTo(InsightWriter.Opening.Outcome.OPENED);
    assertThat(await(writer.open("default", "a", open("s-4"), NOW, replica))).isTrue();

    // Once the holder's subscriptions are closed, another instance gets the name.
    for (String id : List.of("s-1", "s-3", "s-4")) {
      await(writer.close("default", "a", closed(id, NOW.plusSeconds(1))));
    }
    assertThat(await(writer.openAs("default", "a", open("s-5"), claim("p-2"), NOW, replica)))
        .extracting(InsightWriter.Opening::outcome)
        .isEqualTo(InsightWriter.Opening.Outcome.OPENED);
    // A holder whose name's heartbeat is older than the claim allows does not hold it.
    Instant later = NOW.plus(within).plusSeconds(1);
    assertThat(
            await(
                writer.openAs(
                    "default",
                    "a",
                    new DiscoverySubscription("s-6", "cp-1", later, null, status(0), null, 0),
                    claim("p-3"),
                    later,
                    new ReplicaRun("cp-1", NOW.toEpochMilli(), Duration.ofMinutes(5)))))
        .extracting(InsightWriter.Opening::outcome)
        .isEqualTo(InsightWriter.Opening.Outcome.OPENED);
  }

  private static InsightWriter.Claim claim(String proxyInstance) {
    return new InsightWriter.Claim(proxyInstance, Duration.ofSeconds(30));
  }

  private static DiscoverySubscription open(String id) {
    return new DiscoverySubscription(id, "cp-1", NOW, null, status(0), null, 0);
  }

  private static DiscoverySubscription closed(String id, Instant at) {
    return new DiscoverySubscription(id, "cp-1", NOW, at, status(7), null, 0);
  }

  private static DiscoveryServiceStats status(long sent) {
    return new DiscoveryServiceStats(NOW, new Stats(sent, sent, 0), null, null, null, null);
  }

  private Double score(String set, String name) {
    String key =
        set.equals("online") ? store.keys().online("default") : store.keys().lastSeen("default");
    var score = await(redis.client().send(Request.cmd(Command.ZSCORE).arg(key).arg(name)));
    return score == null ? null : score.toDouble();
  }

  private static <T> T await(Uni<T> uni) {
    return uni.await().atMost(Duration.ofSeconds(10));
  }
}

package dev.quma.core.store;

import static dev.quma.core.testing.Fixtures.dataplane;
import static dev.quma.core.testing.Fixtures.mesh;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.core.events.ChangeEvent;
import dev.quma.core.events.ChangeStream;
import dev.quma.core.insight.DataplaneInsight;
import dev.quma.core.insight.DataplaneInsight.DiscoverySubscription;
import dev.quma.core.insight.InsightReader;
import dev.quma.core.insight.InsightWriter;
import dev.quma.core.lease.Fence;
import dev.quma.core.model.ResourceType;
import dev.quma.testing.PrivateRedis;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DeleteIfStaleTest {
  @RegisterExtension static PrivateRedis redis = new PrivateRedis();

  private static final Instant NOW = Instant.now();
  private static final Instant CUTOFF = NOW.minus(Duration.ofHours(72));
  private static final Instant LONG_AGO = NOW.minus(Duration.ofDays(4));
  private static final DiscoverySubscription OPEN =
      new DiscoverySubscription("s", "cp-1", NOW, null, null, null, 1);

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
  void deletesAnOfflineDataplaneNotSeenSinceTheCutoffLikeAnyDelete() {
    long version = create("gone");
    leftAt("gone", LONG_AGO);

    assertThat(deleteIfStale(new StaleDataplane("gone", version), new Fence("sweeper", 1)))
        .isEqualTo(StaleDeleteOutcome.DELETED);

    assertThat(await(store.find(ResourceType.DATAPLANE, "default", "gone"))).isEmpty();
    assertThat(await(new ResourceQueries(store).count(ResourceType.DATAPLANE, "default"))).isZero();
    assertThat(await(insights.get("default", "gone"))).isEqualTo(DataplaneInsight.EMPTY);
    assertThat(zscore(store.keys().lastSeen("default"), "gone")).isNull();
    List<ChangeEvent> events =
        await(
            new ChangeStream(redis.client(), store.keys())
                .readMesh("default", ChangeStream.BEGINNING, 100));
    ChangeEvent last = events.get(events.size() - 1);
    assertThat(last.op()).isEqualTo(ChangeEvent.Op.DELETE);
    assertThat(last.name()).isEqualTo("gone");
    assertThat(last.version()).isGreaterThan(version);
  }

  @Test
  void keepsWhatReconnectedChangedOrNeverConnected() {
    long online = create("online");
    await(writer.open("default", "online", OPEN, LONG_AGO)); // online, heartbeat not refreshed
    long back = create("back");
    leftAt("back", NOW.minusSeconds(5)); // reconnected and left
    long changed = create("changed");
    leftAt("changed", LONG_AGO);
    await(
        store.put(
            dataplane("default", "changed", "web", "10.0.0.9", 80), OptionalLong.of(changed)));
    long never = create("never");

    List<StaleDeleteOutcome> outcomes =
        await(
            new StaleDataplanes(store)
                .deleteIfStale(
                    "default",
                    List.of(
                        new StaleDataplane("online", online),
                        new StaleDataplane("back", back),
                        new StaleDataplane("changed", changed),
                        new StaleDataplane("never", never),
                        new StaleDataplane("missing", 1)),
                    CUTOFF,
                    new Fence("sweeper", 1)));

    assertThat(outcomes)
        .containsExactly(
            StaleDeleteOutcome.ONLINE,
            StaleDeleteOutcome.SEEN_RECENTLY,
            StaleDeleteOutcome.CHANGED,
            StaleDeleteOutcome.NEVER_CONNECTED,
            StaleDeleteOutcome.NEVER_CONNECTED);
    assertThat(await(new ResourceQueries(store).count(ResourceType.DATAPLANE, "default")))
        .isEqualTo(4);
  }

  @Test
  void aDataplaneDeletedMeanwhileIsNotFoundAndAnOlderTokenIsFenced() {
    long version = create("gone");
    leftAt("gone", LONG_AGO);
    long other = create("other");
    leftAt("other", LONG_AGO);

    assertThat(deleteIfStale(new StaleDataplane("gone", version), new Fence("sweeper", 7)))
        .isEqualTo(StaleDeleteOutcome.DELETED);
    assertThat(deleteIfStale(new StaleDataplane("other", other), new Fence("sweeper", 6)))
        .isEqualTo(StaleDeleteOutcome.FENCED);
    assertThat(await(store.find(ResourceType.DATAPLANE, "default", "other"))).isPresent();
    assertThat(deleteIfStale(new StaleDataplane("other", other), new Fence("sweeper", 7)))
        .isEqualTo(StaleDeleteOutcome.DELETED);

    // A heartbeat-set entry left without its record would be "not found", never an error.
    await(
        redis
            .client()
            .send(
                Request.cmd(Command.ZADD)
                    .arg(store.keys().lastSeen("default"))
                    .arg(LONG_AGO.toEpochMilli())
                    .arg("orphan")));
    assertThat(deleteIfStale(new StaleDataplane("orphan", 3), new Fence("sweeper", 7)))
        .isEqualTo(StaleDeleteOutcome.NOT_FOUND);
  }

  private StaleDeleteOutcome deleteIfStale(StaleDataplane candidate, Fence fence) {
    return await(
            new StaleDataplanes(store).deleteIfStale("default", List.of(candidate), CUTOFF, fence))
        .get(0);
  }

  /** The dataplane's proxy connected, was last heard from at {@code heartbeat} and left. */
  private void leftAt(String name, Instant heartbeat) {
    DiscoverySubscription closed =
        new DiscoverySubscription(
            "s", "cp-1", heartbeat.minusSeconds(60), heartbeat, null, null, 1);
    await(writer.open("default", name, OPEN, heartbeat));
    await(writer.close("default", name, closed));
  }

  private long create(String name) {
    return await(store.create(dataplane("default", name, "web", "10.0.0.1", 80))).version();
  }

  private Double zscore(String key, String name) {
    var score = await(redis.client().send(Request.cmd(Command.ZSCORE).arg(key).arg(name)));
    return score == null ? null : score.toDouble();
  }

  private static <T> T await(Uni<T> uni) {
    return uni.await().atMost(Duration.ofSeconds(10));
  }
}

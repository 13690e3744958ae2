package dev.quma.core.insight;

import static dev.quma.core.testing.Fixtures.dataplane;
import static dev.quma.core.testing.Fixtures.mesh;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quma.core.insight.DataplaneInsight.DiscoverySubscription;
import dev.quma.core.lease.Fence;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.StoreSettings;
import dev.quma.testing.PrivateRedis;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HeartbeatsTest {
  @RegisterExtension static PrivateRedis redis = new PrivateRedis();

  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);
  private static final Instant CUTOFF = NOW.minus(Duration.ofMinutes(5));
  private static final Fence FENCE = new Fence("sweeper", 1);

  private ResourceStore store;
  private InsightWriter writer;
  private InsightReader insights;
  private Heartbeats heartbeats;

  @BeforeEach
  void meshWithTwoDataplanes() {
    store = new ResourceStore(redis.client(), StoreSettings.DEFAULTS);
    writer = new InsightWriter(redis.client(), store.keys());
    insights = new InsightReader(redis.client(), store.keys());
    heartbeats = new Heartbeats(redis.client(), store.keys());
    await(store.create(mesh("default")));
    await(store.create(dataplane("default", "quiet", "web", "10.0.0.1", 80)));
    await(store.create(dataplane("default", "alive", "web", "10.0.0.2", 80)));
  }

  @Test
  void marksOfflineOnlyWhoWentQuietAndClosesEveryOpenSubscription() {
    Instant earlier = NOW.minus(Duration.ofHours(1));
    Instant quietSince = NOW.minus(Duration.ofMinutes(6));
    DiscoverySubscription closedBefore =
        subscription("s-0", earlier.minusSeconds(60), earlier.minusSeconds(30));
    await(writer.open("default", "quiet", open(closedBefore), quietSince));
    await(writer.close("default", "quiet", closedBefore));
    await(writer.open("default", "quiet", subscription("s-1", earlier, null), quietSince));
    await(
        writer.open(
            "default", "quiet", subscription("s-2", earlier.plusSeconds(1), null), quietSince));
    await(writer.open("default", "alive", subscription("s-3", earlier, null), NOW));

    List<String> silent = await(heartbeats.onlineButSilentSince("default", CUTOFF, 100));
    assertThat(silent).containsExactly("quiet");
    assertThat(await(heartbeats.markOffline("default", silent, CUTOFF, NOW, FENCE)))
        .containsExactly(OfflineMark.MARKED_OFFLINE);

    DataplaneInsight marked = await(insights.get("default", "quiet"));
    assertThat(marked.online()).isFalse();
    assertThat(marked.subscriptions())
        .extracting(DiscoverySubscription::id, DiscoverySubscription::disconnectTime)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("s-0", closedBefore.disconnectTime()),
            org.assertj.core.groups.Tuple.tuple("s-1", NOW),
            org.assertj.core.groups.Tuple.tuple("s-2", NOW));
    assertThat(score("online", "quiet")).isNull();
    assertThat(score("lastseen", "quiet"))
        .as("the last heartbeat stays: the cleanup age counts from it")
        .isEqualTo((double) NOW.minus(Duration.ofMinutes(6)).toEpochMilli());
    assertThat(await(insights.get("default", "alive")).online()).isTrue();
    assertThat(await(heartbeats.onlineButSilentSince("default", CUTOFF, 100))).isEmpty();
  }

  @Test
  void aHeartbeatAfterTheRangeQueryKeepsTheDataplaneOnline() {
    DiscoverySubscription open = subscription("s-1", NOW.minusSeconds(3600), null);
    await(writer.open("default", "quiet", open, NOW.minus(Duration.ofMinutes(6))));
    List<String> silent = await(heartbeats.onlineButSilentSince("default", CUTOFF, 100));

    // The proxy's replica heartbeats again.
    assertThat(await(writer.heartbeat(Map.of("default", List.of("quiet")), NOW))).isEmpty();

    assertThat(await(heartbeats.markOffline("default", silent, CUTOFF, NOW, FENCE)))
        .containsExactly(OfflineMark.HEARD_FROM);
    assertThat(await(insights.get("default", "quiet")).online()).isTrue();
    assertThat(score("online", "quiet")).isNotNull();
    assertThat(await(heartbeats.markOffline("default", List.of("gone"), CUTOFF, NOW, FENCE)))
        .containsExactly(OfflineMark.NOT_ONLINE);
  }

  @Test
  void theRewrittenInsightKeepsEveryOtherField() throws Exception {
    DiscoverySubscription full =
        new DiscoverySubscription(
            "s-1",
            "cp-7",
            NOW.minusSeconds(3600),
            null,
            new DataplaneInsight.DiscoveryServiceStats(
                NOW.minusSeconds(600),
                new DataplaneInsight.Stats(9_007_199_254_740_993L, 12, 1),
                DataplaneInsight.Stats.ZERO,
                null,
                null,
                null),
            new DataplaneInsight.Version(
                new DataplaneInsight.Version.KumaDp("2.9.3", "v2.9.3", "abc", "2025-01-01", true),
                new DataplaneInsight.Version.Envoy("1.32.2", "build/1.32", true),
                Map.of("coredns", "café/ü")),
            9_007_199_254_740_993L);
    await(writer.open("default", "quiet", full, NOW.minus(Duration.ofMinutes(6))));
    JsonNode before = storedInsight();

    await(heartbeats.markOffline("default", List.of("quiet"), CUTOFF, NOW, FENCE));

    JsonNode after = storedInsight();
    JsonNode subscriptionAfter = after.get("subscriptions").get(0);
    assertThat(subscriptionAfter.get("disconnectTime").asText()).isEqualTo(NOW.toString());
    ((ObjectNode) subscriptionAfter).remove("disconnectTime");
    assertThat(after).isEqualTo(before);
    assertThat(after.at("/subscriptions/0/status/total/responsesSent").asText())
        .as("counters beyond 2^53 survive the rewrite")
        .isEqualTo("9007199254740993");
    assertThat(await(insights.get("default", "quiet")).online()).isFalse();
  }

  @Test
  void aSweeperWithAnOlderLeaseTokenWritesNothing() {
    DiscoverySubscription open = subscription("s-1", NOW.minusSeconds(3600), null);
    await(writer.open("default", "quiet", open, NOW.minus(Duration.ofMinutes(6))));
    await(writer.open("default", "alive", open, NOW.minus(Duration.ofMinutes(6))));
    assertThat(
            await(
                heartbeats.markOffline(
                    "default", List.of("alive"), CUTOFF, NOW, new Fence("sweeper", 5))))
        .containsExactly(OfflineMark.MARKED_OFFLINE);

    assertThat(
            await(
                heartbeats.markOffline(
                    "default", List.of("quiet"), CUTOFF, NOW, new Fence("sweeper", 4))))
        .containsExactly(OfflineMark.FENCED);
    assertThat(await(insights.get("default", "quiet")).online()).isTrue();
    assertThat(score("online", "quiet")).isNotNull();

    assertThat(
            await(
                heartbeats.markOffline(
                    "default", List.of("quiet"), CUTOFF, NOW, new Fence("sweeper", 6))))
        .containsExactly(OfflineMark.MARKED_OFFLINE);
  }

  @Test
  void lastSeenRangesPageOldestFirst() {
    DiscoverySubscription closed = subscription("s", NOW.minusSeconds(7200), NOW);
    await(writer.open("default", "quiet", open(closed), NOW.minus(Duration.ofDays(4))));
    await(writer.close("default", "quiet", closed));
    await(writer.open("default", "alive", open(closed), NOW.minus(Duration.ofDays(5))));
    await(writer.close("default", "alive", closed));
    Instant cutoff = NOW.minus(Duration.ofDays(3));
    assertThat(await(heartbeats.lastSeenBefore("default", cutoff, 0, 10)))
        .containsExactly("alive", "quiet");
    assertThat(await(heartbeats.lastSeenBefore("default", cutoff, 1, 10))).containsExactly("quiet");
    assertThat(
            await(heartbeats.lastSeenBefore("default", cutoff.minus(Duration.ofHours(36)), 0, 10)))
        .containsExactly("alive");
  }

  private JsonNode storedInsight() throws Exception {
    Response json =
        await(
            redis
                .client()
                .send(Request.cmd(Command.GET).arg(store.keys().insight("default", "quiet"))));
    return new ObjectMapper().readTree(json.toString());
  }

  private Double score(String set, String name) {
    String key =
        set.equals("online") ? store.keys().online("default") : store.keys().lastSeen("default");
    Response score = await(redis.client().send(Request.cmd(Command.ZSCORE).arg(key).arg(name)));
    return score == null ? null : score.toDouble();
  }

  /** The subscription as it was while open. */
  static DiscoverySubscription open(DiscoverySubscription closed) {
    return subscription(closed.id(), closed.connectTime(), null);
  }

  static DiscoverySubscription subscription(String id, Instant connected, Instant disconnected) {
    return new DiscoverySubscription(id, "cp-1", connected, disconnected, null, null, 1);
  }

  private static <T> T await(Uni<T> uni) {
    return uni.await().atMost(Duration.ofSeconds(10));
  }
}

package dev.quma.xds.server;

import static dev.quma.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.core.events.ChangeStream;
import dev.quma.core.insight.DataplaneInsight;
import dev.quma.core.insight.InsightReader;
import dev.quma.core.model.Dataplane;
import dev.quma.core.model.Labels;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.ResourceConflictException;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.tokens.DataplaneTokenClaims;
import dev.quma.core.tokens.ProxyTokens;
import dev.quma.core.tokens.SigningKeyManager;
import dev.quma.core.tokens.TokenRevocations;
import dev.quma.envoysim.SimulatedEnvoy;
import dev.quma.xds.snapshot.ProxySnapshots;
import dev.quma.xds.testing.JudgingCache;
import dev.quma.xds.testing.Seeds;
import dev.quma.xds.testing.XdsTestResources;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Proxies joining, changing and leaving over real gRPC, with a simulated Envoy, against a real
 * Redis: the seeds' walkthrough, SotW and Delta, Direct and Indirect lifecycles, dataplane tokens,
 * NACKs, insights.
 */
@QuarkusTest
@QuarkusTestResource(XdsTestResources.class)
@TestProfile(AdsStreamTest.FastLifecycle.class)
class AdsStreamTest {
  public static class FastLifecycle implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "quma.xds.deregistration-delay",
          "300ms",
          "quma.xds.stats-flush-interval",
          "100ms",
          "quma.xds.heartbeat-interval",
          "500ms",
          "quma.dataplane-tokens.cache-refresh-interval",
          "200ms");
    }
  }

  private static final Duration WAIT = Duration.ofSeconds(10);

  @Inject ProxySnapshots snapshots;
  @Inject ResourceStore store;
  @Inject InsightReader insights;
  @Inject ChangeStream changes;

  private ManagedChannel channel;
  private SigningKeyManager keys;
  private final List<SimulatedEnvoy> envoys = new ArrayList<>();

  @BeforeEach
  void meshAndChannel() {
    await(
        store
            .create(Seeds.defaultMesh())
            .onFailure(ResourceConflictException.class)
            .recoverWithNull());
    keys = new SigningKeyManager(store, changes, Optional.empty());
    channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", XdsTestResources.grpcPort())
            .usePlaintext()
            .build();
  }

  @AfterEach
  void disconnect() {
    envoys.forEach(SimulatedEnvoy::drop);
    channel.shutdownNow();
  }

  @Test
  void theSeedsJoinAndBackendReachesRedis() {
    // A mesh of their own, so that only the seeds' two dataplanes are in it.
    await(store.create(Seeds.mesh("seeds")));
    SimulatedEnvoy redis =
        join(
            "seeds",
            "redis-1",
            Seeds.redis("seeds", "redis-1", "192.168.0.1"),
            SimulatedEnvoy.Mode.SOTW);
    SimulatedEnvoy backend =
        join(
            "seeds",
            "backend-1",
            Seeds.backend("seeds", "backend-1", "192.168.0.2"),
            SimulatedEnvoy.Mode.SOTW);

    assertThat(
            backend.await(
                WAIT, () -> backend.endpointAddresses("redis").equals(List.of("192.168.0.1:9000"))))
        .as("redis endpoints seen by backend: %s", backend.endpointAddresses("redis"))
        .isTrue();
    assertThat(backend.listeners())
        .containsKeys("inbound:192.168.0.2:8000", "outbound:127.0.0.1:10000");
    assertThat(backend.clusters()).containsKeys("localhost:80", "redis");
    assertThat(redis.listeners()).containsOnlyKeys("inbound:192.168.0.1:9000");
    assertThat(redis.clusters()).containsOnlyKeys("localhost:6379");

    var registered = await(store.get(ResourceType.DATAPLANE, "seeds", "backend-1"));
    assertThat(Labels.isDirect(registered)).as("registered by the xDS tier (Direct)").isTrue();
  }

  @Test
  void deltaClientsGetOnlyWhatChanged() {
    join("redis-d1", Seeds.redis("redis-d1", "10.1.0.1"), SimulatedEnvoy.Mode.DELTA);
    SimulatedEnvoy backend =
        join("backend-d1", Seeds.backend("backend-d1", "10.1.0.9"), SimulatedEnvoy.Mode.DELTA);
    assertThat(
            backend.await(WAIT, () -> backend.endpointAddresses("redis").contains("10.1.0.1:9000")))
        .isTrue();
    List<String> updates = new CopyOnWriteArrayList<>();
    backend.onUpdate(updates::add);

    await(store.create(Seeds.resource(Seeds.redis("redis-d2", "10.1.0.2"))));

    assertThat(
            backend.await(WAIT, () -> backend.endpointAddresses("redis").contains("10.1.0.2:9000")))
        .isTrue();
    assertThat(updates)
        .as("a new redis endpoint changes endpoints only")
        .containsOnly(SimulatedEnvoy.ENDPOINTS);
  }

  @Test
  void theNodeIsNeededOnlyOnTheFirstRequest() throws Exception {
    await(store.create(Seeds.resource(Seeds.redis("redis-n1", "10.2.0.1"))));
    List<DiscoveryResponse> responses = new CopyOnWriteArrayList<>();
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
        token("default", "redis-n1"));
    StreamObserver<DiscoveryRequest> requests =
        AggregatedDiscoveryServiceGrpc.newStub(channel)
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
            .streamAggregatedResources(collect(responses));
    requests.onNext(
        DiscoveryRequest.newBuilder()
            .setNode(Node.newBuilder().setId("default.redis-n1"))
            .setTypeUrl(SimulatedEnvoy.CLUSTERS)
            .build());
    // No node on this one: it must still be answered for default.redis-n1.
    requests.onNext(DiscoveryRequest.newBuilder().setTypeUrl(SimulatedEnvoy.LISTENERS).build());

    long deadline = System.nanoTime() + WAIT.toNanos();
    while (responses.stream().noneMatch(r -> r.getTypeUrl().equals(SimulatedEnvoy.LISTENERS))
        && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    DiscoveryResponse listeners =
        responses.stream()
            .filter(r -> r.getTypeUrl().equals(SimulatedEnvoy.LISTENERS))
            .findFirst()
            .orElseThrow();
    assertThat(
            listeners
                .getResources(0)
                .unpack(io.envoyproxy.envoy.config.listener.v3.Listener.class)
                .getName())
        .isEqualTo("inbound:10.2.0.1:9000");
    requests.onCompleted();
  }

  @Test
  void refusedStreamsEndWithAClearStatus() {
    SimulatedEnvoy noNodeId = SimulatedEnvoy.builder("").build();
    envoys.add(noNodeId.connect(channel));
    assertThat(noNodeId.await(WAIT, () -> noNodeId.closedWith() != null)).isTrue();
    assertThat(noNodeId.closedWith().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);

    SimulatedEnvoy unknown =
        SimulatedEnvoy.builder("default.ghost").token(token("default", "ghost")).build();
    envoys.add(unknown.connect(channel));
    assertThat(unknown.await(WAIT, () -> unknown.closedWith() != null)).isTrue();
    assertThat(unknown.closedWith().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(unknown.closedWith().getDescription())
        .contains("Dataplane \"ghost\" does not exist");

    SimulatedEnvoy invalid =
        SimulatedEnvoy.builder("default.bad-1")
            .dataplaneResource(Seeds.redis("bad-1", "0.0.0.0"))
            .token(token("default", "bad-1"))
            .build();
    envoys.add(invalid.connect(channel));
    assertThat(invalid.await(WAIT, () -> invalid.closedWith() != null)).isTrue();
    assertThat(invalid.closedWith().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(invalid.closedWith().getDescription())
        .contains("networking.address: must not be 0.0.0.0 or ::");

    SimulatedEnvoy otherName =
        SimulatedEnvoy.builder("default.one")
            .dataplaneResource(Seeds.redis("two", "10.0.0.1"))
            .build();
    envoys.add(otherName.connect(channel));
    assertThat(otherName.await(WAIT, () -> otherName.closedWith() != null)).isTrue();
    assertThat(otherName.closedWith().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void streamsWithoutAValidTokenAreRefusedAndWriteNothing() {
    String resource = Seeds.redis("redis-t1", "10.7.0.1");

    Status missing =
        refusal(SimulatedEnvoy.builder("default.redis-t1").dataplaneResource(resource));
    assertThat(missing.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(missing.getDescription()).contains("no dataplane token");

    Status garbage =
        refusal(
            SimulatedEnvoy.builder("default.redis-t1")
                .dataplaneResource(resource)
                .token("not-a-token"));
    assertThat(garbage.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);

    Status someoneElses =
        refusal(
            SimulatedEnvoy.builder("default.redis-t1")
                .dataplaneResource(resource)
                .token(token("default", "redis-t2")));
    assertThat(someoneElses.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(someoneElses.getDescription()).contains("\"redis-t2\"", "\"redis-t1\"");

    String revokedToken = token("default", "redis-t1");
    await(new TokenRevocations(store).revoke("default", Set.of(jti(revokedToken))));
    sleep(Duration.ofMillis(500)); // revocations reach the xDS tier within the cache refresh
    Status revoked =
        refusal(
            SimulatedEnvoy.builder("default.redis-t1")
                .dataplaneResource(resource)
                .token(revokedToken));
    assertThat(revoked.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(revoked.getDescription()).contains("revoked");

    assertThat(await(store.find(ResourceType.DATAPLANE, "default", "redis-t1")))
        .as("a refused Direct proxy is not registered")
        .isEmpty();

    // Indirect, for a dataplane that does not exist: without a token, its absence is not told.
    Status probe = refusal(SimulatedEnvoy.builder("default.redis-t9"));
    assertThat(probe.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void revokingTheTokenOfAConnectedProxyEndsItsStream() {
    String revokedToken = token("default", "redis-r1");
    SimulatedEnvoy revokedProxy =
        SimulatedEnvoy.builder("default.redis-r1")
            .dataplaneResource(Seeds.redis("redis-r1", "10.7.1.1"))
            .token(revokedToken)
            .build();
    envoys.add(revokedProxy.connect(channel));
    SimulatedEnvoy bystander =
        join("redis-r2", Seeds.redis("redis-r2", "10.7.1.2"), SimulatedEnvoy.Mode.SOTW);
    assertThat(revokedProxy.await(WAIT, revokedProxy::configured)).isTrue();

    await(new TokenRevocations(store).revoke("default", Set.of(jti(revokedToken))));

    assertThat(revokedProxy.await(WAIT, () -> revokedProxy.closedWith() != null))
        .as("the stream ends once the revocation reaches the xDS tier")
        .isTrue();
    assertThat(revokedProxy.closedWith().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(revokedProxy.closedWith().getDescription()).contains("revoked");
    assertThat(eventually(WAIT, () -> !await(insights.get("default", "redis-r1")).online()))
        .as("its subscription is closed")
        .isTrue();
    assertThat(bystander.closedWith()).as("another proxy's stream stays open").isNull();
  }

  @Test
  void aSecondProxyUnderAConnectedNameWithAnotherResourceIsAlreadyExists() {
    // Issue 15, item 7: two proxies named redis-d1 were both kept, and the stored address flipped.
    SimulatedEnvoy first =
        join("redis-d1", Seeds.redis("redis-d1", "10.8.0.1"), SimulatedEnvoy.Mode.SOTW);

    Status second =
        refusal(
            SimulatedEnvoy.builder("default.redis-d1")
                .dataplaneResource(Seeds.redis("redis-d1", "10.8.0.2"))
                .token(token("default", "redis-d1")));

    assertThat(second.getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
    assertThat(second.getDescription())
        .contains("connected to the control plane right now")
        .contains("10.8.0.1");
    var stored = await(store.get(ResourceType.DATAPLANE, "default", "redis-d1", Dataplane.class));
    assertThat(stored.spec().networking().address()).isEqualTo("10.8.0.1");
    assertThat(first.closedWith()).as("the first proxy keeps its stream").isNull();
    // The same proxy coming back with its own resource (a reconnect) is served.
    join("redis-d1", Seeds.redis("redis-d1", "10.8.0.1"), SimulatedEnvoy.Mode.SOTW);
  }

  @Test
  void aDataplaneDeletedWhileItsProxyIsConnectedEndsTheStream() {
    SimulatedEnvoy proxy =
        join("redis-x1", Seeds.redis("redis-x1", "10.8.1.1"), SimulatedEnvoy.Mode.SOTW);

    await(
        store.delete(
            ResourceType.DATAPLANE, "default", "redis-x1", java.util.OptionalLong.empty()));

    assertThat(proxy.await(WAIT, () -> proxy.closedWith() != null))
        .as("the stream ends once the delete reaches the xDS tier")
        .isTrue();
    assertThat(proxy.closedWith().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(proxy.closedWith().getDescription()).contains("was deleted");
  }

  @Test
  void anIndirectDataplaneNeedsATokenBoundToItsStoredTags() {
    await(store.create(Seeds.resource(Seeds.redis("redis-t3", "10.7.0.3"))));
    SimulatedEnvoy withToken =
        SimulatedEnvoy.builder("default.redis-t3").token(token("default", "redis-t3")).build();
    envoys.add(withToken.connect(channel));
    assertThat(withToken.await(WAIT, withToken::configured))
        .as("stream status " + withToken.closedWith())
        .isTrue();

    Status wrongName =
        refusal(SimulatedEnvoy.builder("default.redis-t3").token(token("default", "redis-t4")));
    assertThat(wrongName.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
  }

  @Test
  void aDirectDataplaneThatLeavesIsDeletedAndOneThatComesBackIsNot() {
    SimulatedEnvoy leaving =
        join("redis-l1", Seeds.redis("redis-l1", "10.3.0.1"), SimulatedEnvoy.Mode.SOTW);
    SimulatedEnvoy flapping =
        join("redis-l2", Seeds.redis("redis-l2", "10.3.0.2"), SimulatedEnvoy.Mode.SOTW);

    leaving.leave();
    flapping.drop();
    join(
        "redis-l2",
        Seeds.redis("redis-l2", "10.3.0.2"),
        SimulatedEnvoy.Mode.SOTW); // back within the delay

    assertThat(
            eventually(
                WAIT,
                () -> await(store.find(ResourceType.DATAPLANE, "default", "redis-l1")).isEmpty()))
        .as("redis-l1 deregistered")
        .isTrue();
    sleep(Duration.ofMillis(800));
    assertThat(await(store.find(ResourceType.DATAPLANE, "default", "redis-l2")))
        .as("redis-l2 came back: kept")
        .isPresent();
  }

  @Test
  void anIndirectDataplaneThatLeavesIsKeptAndShownOffline() {
    await(store.create(Seeds.resource(Seeds.redis("redis-i1", "10.4.0.1"))));
    SimulatedEnvoy indirect =
        SimulatedEnvoy.builder("default.redis-i1").token(token("default", "redis-i1")).build();
    envoys.add(indirect.connect(channel));
    assertThat(indirect.await(WAIT, indirect::configured)).isTrue();
    assertThat(eventually(WAIT, () -> await(insights.get("default", "redis-i1")).online()))
        .isTrue();

    indirect.leave();

    assertThat(eventually(WAIT, () -> !await(insights.get("default", "redis-i1")).online()))
        .as("offline once it left")
        .isTrue();
    sleep(Duration.ofMillis(800));
    assertThat(await(store.find(ResourceType.DATAPLANE, "default", "redis-i1")))
        .as("Indirect: never deleted on leave")
        .isPresent();
    DataplaneInsight insight = await(insights.get("default", "redis-i1"));
    assertThat(insight.subscriptions()).hasSize(1);
    assertThat(insight.subscriptions().get(0).disconnectTime()).isNotNull();
  }

  @Test
  void aRejectedConfigIsCountedAndNotSentAgainUntilItChanges() {
    join("redis-k1", Seeds.redis("redis-k1", "10.5.0.1"), SimulatedEnvoy.Mode.SOTW);
    java.util.concurrent.atomic.AtomicInteger clusterResponses =
        new java.util.concurrent.atomic.AtomicInteger();
    SimulatedEnvoy picky =
        SimulatedEnvoy.builder("default.backend-k1")
            .dataplaneResource(Seeds.backend("backend-k1", "10.5.0.9"))
            .token(token("default", "backend-k1"))
            .rejecting(
                update ->
                    update.typeUrl().equals(SimulatedEnvoy.CLUSTERS)
                        && clusterResponses.incrementAndGet() == 1)
            .build();
    envoys.add(picky.connect(channel));
    assertThat(picky.await(WAIT, () -> picky.nacks(SimulatedEnvoy.CLUSTERS) == 1)).isTrue();
    sleep(Duration.ofMillis(700));
    assertThat(clusterResponses.get()).as("no resend loop after the NACK").isEqualTo(1);

    // A change of the clusters brings a new version, which is accepted.
    String withAnotherOutbound =
        Seeds.backend("backend-k1", "10.5.0.9")
            .replace(
                "\"outbound\": [",
                "\"outbound\": [{\"port\": 10001, \"tags\": {\"kuma.io/service\": \"kafka\"}}, ");
    await(store.put(Seeds.resource(withAnotherOutbound), OptionalLong.empty()));
    assertThat(picky.await(WAIT, () -> picky.clusters().containsKey("kafka"))).isTrue();
    assertThat(eventually(WAIT, () -> rejected(await(insights.get("default", "backend-k1"))) == 1))
        .as("the NACK is in the insight")
        .isTrue();
  }

  @Test
  void insightsRecordTheSubscriptionAndItsCounters() {
    join("redis-s1", Seeds.redis("redis-s1", "10.6.0.1"), SimulatedEnvoy.Mode.SOTW);
    assertThat(
            eventually(
                WAIT,
                () -> {
                  DataplaneInsight insight = await(insights.get("default", "redis-s1"));
                  return insight.online()
                      && insight.subscriptions().get(0).status().total().responsesAcknowledged()
                          >= 2;
                }))
        .isTrue();
    DataplaneInsight.DiscoverySubscription subscription =
        await(insights.get("default", "redis-s1")).subscriptions().get(0);
    assertThat(subscription.controlPlaneInstanceId()).isNotBlank();
    assertThat(subscription.connectTime()).isBefore(Instant.now().plusSeconds(1));
    assertThat(subscription.status().cds().responsesSent()).isGreaterThanOrEqualTo(1);
    assertThat(subscription.status().lds().responsesAcknowledged()).isGreaterThanOrEqualTo(1);
    assertThat(subscription.version().envoy().version()).isEqualTo("1.31.2");
  }

  // ---- helpers -------------------------------------------------------------------------------

  private String token(String mesh, String name) {
    return await(ProxyTokens.issue(keys, mesh, name, Duration.ofHours(1)));
  }

  private static String jti(String token) {
    return DataplaneTokenClaims.fromJson(Base64.getUrlDecoder().decode(token.split("\\.")[1]))
        .jti();
  }

  /** Connects a proxy that must be refused, and returns the status its stream ended with. */
  private Status refusal(SimulatedEnvoy.Builder builder) {
    SimulatedEnvoy envoy = builder.build();
    envoys.add(envoy.connect(channel));
    assertThat(envoy.await(WAIT, () -> envoy.closedWith() != null)).as("refused").isTrue();
    assertThat(envoy.configured()).isFalse();
    return envoy.closedWith();
  }

  private SimulatedEnvoy join(String name, String resource, SimulatedEnvoy.Mode mode) {
    return join("default", name, resource, mode);
  }

  private SimulatedEnvoy join(String mesh, String name, String resource, SimulatedEnvoy.Mode mode) {
    SimulatedEnvoy envoy =
        SimulatedEnvoy.builder(mesh + "." + name)
            .dataplaneResource(resource)
            .mode(mode)
            .token(token(mesh, name))
            .build();
    envoys.add(envoy.connect(channel));
    assertThat(envoy.await(WAIT, envoy::configured))
        .as(name + " configured, stream status " + envoy.closedWith())
        .isTrue();
    return envoy;
  }

  private static long rejected(DataplaneInsight insight) {
    return insight.subscriptions().isEmpty()
        ? 0
        : insight.subscriptions().get(0).status().total().responsesRejected();
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static <T> T await(Uni<T> uni) {
    return uni.await().atMost(WAIT);
  }

  private static StreamObserver<DiscoveryResponse> collect(List<DiscoveryResponse> into) {
    return new StreamObserver<>() {
      @Override
      public void onNext(DiscoveryResponse value) {
        into.add(value);
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    };
  }

  @AfterEach
  void everyPushPassedEnvoysRules() {
    JudgingCache.assertEveryPushValid(snapshots);
  }
}

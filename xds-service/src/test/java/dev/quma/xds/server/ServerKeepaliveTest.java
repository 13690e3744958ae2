package dev.quma.xds.server;

import static dev.quma.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.core.events.ChangeStream;
import dev.quma.core.insight.InsightReader;
import dev.quma.core.store.ResourceConflictException;
import dev.quma.core.store.ResourceStore;
import dev.quma.envoysim.SimulatedEnvoy;
import dev.quma.xds.testing.DirectProxies;
import dev.quma.xds.testing.Seeds;
import dev.quma.xds.testing.SilentLink;
import dev.quma.xds.testing.XdsTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A proxy behind a network cut (no FIN, no RST: the kernel tells the server nothing) is found by
 * the server's keepalive pings, and its stream ends within {@code time + timeout}, over real gRPC.
 */
@QuarkusTest
@QuarkusTestResource(XdsTestResources.class)
@TestProfile(ServerKeepaliveTest.QuickKeepalive.class)
class ServerKeepaliveTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration CUT_FOUND = Duration.ofSeconds(25);

  /**
   * Pings after 10 s of silence (grpc-java's floor), a 2 s answer time: a cut is found within about
   * 12 s.
   */
  public static class QuickKeepalive implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      Map<String, String> overrides =
          new HashMap<>(new AdsStreamTest.FastLifecycle().getConfigOverrides());
      overrides.put("quma.xds.keepalive.time", "10s");
      overrides.put("quma.xds.keepalive.timeout", "2s");
      return overrides;
    }
  }

  @Inject ResourceStore store;
  @Inject InsightReader insights;
  @Inject ChangeStream changes;

  @Test
  void aProxyBehindANetworkCutIsDisconnectedByTheServersPings() throws Exception {
    await(
        store
            .create(Seeds.defaultMesh())
            .onFailure(ResourceConflictException.class)
            .recoverWithNull());
    try (SilentLink link = new SilentLink(XdsTestResources.grpcPort());
        DirectProxies proxies = new DirectProxies("default", link.port(), store, changes, WAIT)) {
      SimulatedEnvoy envoy = proxies.join("cut-1", Seeds.redis("cut-1", "10.30.0.1"));
      assertThat(await(insights.get("default", "cut-1")).online()).isTrue();
      // Longer than a ping interval: an idle but healthy link answers the pings and keeps its
      // stream.
      Thread.sleep(12_500);
      assertThat(await(insights.get("default", "cut-1")).online()).isTrue();

      link.cut();

      assertThat(eventually(CUT_FOUND, () -> !await(insights.get("default", "cut-1")).online()))
          .as("the server ended the silent proxy's stream")
          .isTrue();
      assertThat(envoy.closedWith())
          .as("the proxy itself heard nothing: the cut swallowed the server's close too")
          .isNull();
    }
  }

  private static <T> T await(Uni<T> uni) {
    return uni.await().atMost(WAIT);
  }
}

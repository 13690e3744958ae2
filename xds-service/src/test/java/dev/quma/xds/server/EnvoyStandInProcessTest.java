package dev.quma.xds.server;

import static dev.quma.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.core.events.ChangeStream;
import dev.quma.core.insight.InsightReader;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.ResourceConflictException;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.tokens.ProxyTokens;
import dev.quma.core.tokens.SigningKeyManager;
import dev.quma.envoysim.standin.EnvoyStandIn;
import dev.quma.testing.JavaProcesses;
import dev.quma.xds.snapshot.ProxySnapshots;
import dev.quma.xds.testing.JudgingCache;
import dev.quma.xds.testing.Seeds;
import dev.quma.xds.testing.XdsTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stand-in Envoy as the agent runs it: a separate process given a Kuma-style bootstrap file. It
 * joins over real gRPC with the token from the bootstrap (Direct: registers its dataplane), reports
 * LIVE on its admin port, drains on request, and on SIGTERM leaves so that its dataplane is
 * deleted.
 */
@QuarkusTest
@QuarkusTestResource(XdsTestResources.class)
@TestProfile(AdsStreamTest.FastLifecycle.class)
class EnvoyStandInProcessTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Inject ProxySnapshots snapshots;
  @Inject ResourceStore store;
  @Inject InsightReader insights;
  @Inject ChangeStream changes;

  @TempDir Path dir;

  @Test
  void joinsFromABootstrapFileDrainsAndLeavesOnSigterm() throws Exception {
    await(
        store
            .create(Seeds.defaultMesh())
            .onFailure(ResourceConflictException.class)
            .recoverWithNull());
    SigningKeyManager keys = new SigningKeyManager(store, changes, Optional.empty());
    String token = await(ProxyTokens.issue(keys, "default", "redis-p1", Duration.ofHours(1)));
    int adminPort = freePort();
    Path bootstrap = dir.resolve("bootstrap.yaml");
    Files.writeString(bootstrap, bootstrap(adminPort, token));

    Process envoy =
        new ProcessBuilder(
                JavaProcesses.command(
                    EnvoyStandIn.class,
                    "-c",
                    bootstrap.toString(),
                    "--drain-time-s",
                    "1",
                    "--disable-hot-restart"))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("envoy.log").toFile())
            .start();
    try {
      assertThat(
              eventually(
                  WAIT,
                  () ->
                      await(store.find(ResourceType.DATAPLANE, "default", "redis-p1")).isPresent()
                          && await(insights.get("default", "redis-p1")).online()))
          .as("registered and online; stand-in said: %s", log())
          .isTrue();
      HttpClient http = HttpClient.newHttpClient();
      assertThat(eventually(WAIT, () -> get(http, adminPort, "/ready").equals("LIVE\n")))
          .as("admin /ready")
          .isTrue();
      HttpResponse<String> drain =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + adminPort + "/drain_listeners?graceful"))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(drain.statusCode()).isEqualTo(200);
      assertThat(get(http, adminPort, "/server_info")).contains("\"state\":\"DRAINING\"");

      envoy.destroy(); // SIGTERM

      assertThat(envoy.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(envoy.exitValue()).as("exit code; stand-in said: %s", log()).isZero();
      assertThat(
              eventually(
                  WAIT,
                  () -> await(store.find(ResourceType.DATAPLANE, "default", "redis-p1")).isEmpty()))
          .as(
              "a Direct dataplane is deleted once its proxy left; online=%s, stored=%s",
              await(insights.get("default", "redis-p1")).online(),
              await(store.find(ResourceType.DATAPLANE, "default", "redis-p1")))
          .isTrue();
    } finally {
      envoy.destroyForcibly();
    }
  }

  private String bootstrap(int adminPort, String token) {
    String resource = Seeds.redis("redis-p1", "10.9.0.1").strip().replace("'", "''");
    return """
        node:
          id: default.redis-p1
          cluster: redis
          metadata:
            dataplane.proxyType: dataplane
            dataplane.resource: '%s'
        admin:
          address:
            socketAddress: {address: 127.0.0.1, portValue: %d}
        dynamicResources:
          adsConfig:
            apiType: GRPC
            transportApiVersion: V3
            setNodeOnFirstMessageOnly: true
            grpcServices:
            - envoyGrpc: {clusterName: ads_cluster}
              initialMetadata:
              - {key: authorization, value: '%s'}
        staticResources:
          clusters:
          - name: ads_cluster
            loadAssignment:
              clusterName: ads_cluster
              endpoints:
              - lbEndpoints:
                - endpoint:
                    address:
                      socketAddress: {address: 127.0.0.1, portValue: %d}
        """
        .formatted(resource.replace("\n", " "), adminPort, token, XdsTestResources.grpcPort());
  }

  private String log() {
    try {
      return Files.readString(dir.resolve("envoy.log"));
    } catch (java.io.IOException e) {
      return "(no log)";
    }
  }

  private static String get(HttpClient http, int port, String path) {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (Exception e) {
      return "";
    }
  }

  private static int freePort() throws java.io.IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static <T> T await(Uni<T> uni) {
    return uni.await().atMost(Duration.ofSeconds(10));
  }

  @AfterEach
  void everyPushPassedEnvoysRules() {
    JudgingCache.assertEveryPushValid(snapshots);
  }
}

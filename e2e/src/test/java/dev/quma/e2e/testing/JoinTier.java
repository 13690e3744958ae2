package dev.quma.e2e.testing;

import dev.quma.core.events.ChangeStream;
import dev.quma.core.model.Mesh;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceMeta;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.StoreSettings;
import dev.quma.core.tokens.ProxyTokens;
import dev.quma.core.tokens.SigningKeyManager;
import dev.quma.local.LocalRedis;
import dev.quma.testing.PackagedServices;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a proxy joins through, as processes on a Redis of the test's own: xds-service and
 * bootstrap-service (pointing its bootstraps at that xds-service), the default mesh, and the store
 * and signing keys the test issues tokens with. TLS material goes under the test's directory:
 * {@code xds-tls/}, {@code bootstrap-tls/}.
 */
public final class JoinTier implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final LocalRedis redisServer;
  private final Vertx vertx;
  private final Redis redis;
  private final PackagedServices services;
  private final ResourceStore store;
  private final SigningKeyManager keys;
  private final Path dir;
  private int xdsPort;
  private int bootstrapPort;

  private JoinTier(Path dir) {
    this.dir = dir;
    redisServer = LocalRedis.startEphemeral();
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, redisServer.url());
    store = new ResourceStore(redis, StoreSettings.DEFAULTS);
    keys = new SigningKeyManager(store, new ChangeStream(redis, store.keys()), Optional.empty());
    services = new PackagedServices(redisServer.url());
  }

  /** Starts the tier; {@code xdsSettings} are added to the xds-service's environment. */
  public static JoinTier start(Path dir, Map<String, String> xdsSettings) {
    JoinTier tier = new JoinTier(dir);
    try {
      tier.store
          .create(
              new Resource<>(
                  ResourceMeta.of(ResourceType.MESH, null, "default", Map.of()), Mesh.EMPTY))
          .await()
          .atMost(WAIT);
      tier.xdsPort =
          tier.services
              .start(
                  "xds-service",
                  "xds-service",
                  ports -> {
                    Map<String, String> environment = new HashMap<>(xdsSettings);
                    environment.put("QUMA_XDS_PORT", String.valueOf(ports.serving()));
                    environment.put("QUMA_XDS_HTTP_PORT", String.valueOf(ports.http()));
                    environment.put("QUMA_TLS_DIR", dir.resolve("xds-tls").toString());
                    return environment;
                  })
              .ports()
              .serving();
      tier.bootstrapPort =
          tier.services
              .start(
                  "bootstrap-service",
                  "bootstrap-service",
                  ports ->
                      Map.of(
                          "QUMA_BOOTSTRAP_PORT", String.valueOf(ports.serving()),
                          "QUMA_BOOTSTRAP_MANAGEMENT_PORT", String.valueOf(ports.http()),
                          "QUMA_BOOTSTRAP_XDS_HOST", "localhost",
                          "QUMA_BOOTSTRAP_XDS_PORT", String.valueOf(tier.xdsPort),
                          "QUMA_TLS_DIR", dir.resolve("bootstrap-tls").toString()))
              .ports()
              .serving();
      return tier;
    } catch (RuntimeException | Error e) {
      tier.close();
      throw e;
    }
  }

  public ResourceStore store() {
    return store;
  }

  /** The agent's {@code --cp-address}. */
  public String bootstrapAddress() {
    return "https://localhost:" + bootstrapPort;
  }

  /** The CA the bootstrap-service's certificate chains to: the agent's {@code --ca-cert-file}. */
  public Path bootstrapCa() {
    return dir.resolve("bootstrap-tls/ca.crt");
  }

  /** A dataplane token of {@code mesh}/{@code name}, valid for an hour. */
  public String token(String mesh, String name) {
    return ProxyTokens.issue(keys, mesh, name, Duration.ofHours(1)).await().atMost(WAIT);
  }

  /** The same token in a file of the test's directory, for the agent's token file. */
  public Path tokenFile(String mesh, String name) {
    Path file = dir.resolve(mesh + "." + name + ".token");
    try {
      Files.writeString(file, token(mesh, name));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    services.close();
    redis.close();
    vertx.closeAndAwait();
    redisServer.close();
  }
}

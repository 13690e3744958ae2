package dev.quma.xds.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.core.events.ChangeStream;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.tokens.ProxyTokens;
import dev.quma.core.tokens.SigningKeyManager;
import dev.quma.envoysim.SimulatedEnvoy;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Simulated Envoys of one mesh that join the xDS server under test with their own resource (Direct,
 * or none: Indirect) and a token of the mesh's key, over one plaintext channel; {@link #close}
 * drops them all.
 */
public final class DirectProxies implements AutoCloseable {
  private final String mesh;
  private final Duration wait;
  private final ManagedChannel channel;
  private final SigningKeyManager keys;
  private final List<SimulatedEnvoy> envoys = new ArrayList<>();

  public DirectProxies(
      String mesh, int grpcPort, ResourceStore store, ChangeStream changes, Duration wait) {
    this.mesh = mesh;
    this.wait = wait;
    this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
    this.keys = new SigningKeyManager(store, changes, Optional.empty());
  }

  /** Connects a proxy and waits until it is configured. */
  public SimulatedEnvoy join(String name, String resource) {
    return join(proxy(name).dataplaneResource(resource));
  }

  /**
   * A proxy of the mesh with a token for {@code name}: Direct once given its resource, else
   * Indirect.
   */
  public SimulatedEnvoy.Builder proxy(String name) {
    return SimulatedEnvoy.builder(mesh + "." + name)
        .token(await(ProxyTokens.issue(keys, mesh, name, Duration.ofHours(1)), wait));
  }

  /** Connects a proxy, without waiting for anything. */
  public SimulatedEnvoy connect(SimulatedEnvoy.Builder builder) {
    SimulatedEnvoy envoy = builder.build();
    envoys.add(envoy.connect(channel));
    return envoy;
  }

  /** Connects a proxy and waits until it is configured. */
  public SimulatedEnvoy join(SimulatedEnvoy.Builder builder) {
    SimulatedEnvoy envoy = connect(builder);
    assertThat(envoy.await(wait, envoy::configured))
        .as("configured, stream status " + envoy.closedWith())
        .isTrue();
    return envoy;
  }

  /** Connects a proxy that must be refused; answers the status its stream ended with. */
  public Status refusal(SimulatedEnvoy.Builder builder) {
    SimulatedEnvoy envoy = connect(builder);
    assertThat(envoy.await(wait, () -> envoy.closedWith() != null)).as("refused").isTrue();
    assertThat(envoy.configured()).isFalse();
    return envoy.closedWith();
  }

  @Override
  public void close() {
    envoys.forEach(SimulatedEnvoy::drop);
    channel.shutdownNow();
  }

  /** Waits, polling, until {@code condition} holds; fails the test after {@code wait}. */
  public static void waitFor(BooleanSupplier condition, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("within %s", wait).isLessThan(deadline);
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  public static <T> T await(Uni<T> uni, Duration wait) {
    return uni.await().atMost(wait);
  }
}

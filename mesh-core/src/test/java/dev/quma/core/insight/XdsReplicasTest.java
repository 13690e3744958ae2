package dev.quma.core.insight;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.core.insight.XdsReplicas.XdsReplica;
import dev.quma.core.store.Keys;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.StoreSettings;
import dev.quma.testing.PrivateRedis;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The xDS replicas as the union of the meshes' replicas hashes, against a real Redis. */
class XdsReplicasTest {
  @RegisterExtension static PrivateRedis redis = new PrivateRedis();

  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);
  private static final Duration ALIVE_FOR = Duration.ofSeconds(3);

  private final Keys keys = new ResourceStore(redis.client(), StoreSettings.DEFAULTS).keys();
  private final XdsReplicas replicas =
      new XdsReplicas(redis.client(), keys, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofHours(1));

  @Test
  void aReplicaServingSeveralMeshesIsListedOnceWithItsLatestRunAndHeartbeat() {
    ReplicaRun earlierRun =
        new ReplicaRun("xds-a", NOW.minusSeconds(900).toEpochMilli(), ALIVE_FOR);
    ReplicaRun currentRun = new ReplicaRun("xds-a", NOW.minusSeconds(60).toEpochMilli(), ALIVE_FOR);
    heartbeat("m1", earlierRun, NOW.minusSeconds(120)); // left behind by its previous run
    heartbeat("m2", currentRun, NOW.minusSeconds(1));

    assertThat(replicas.list(List.of("m1", "m2", "m3")).await().indefinitely())
        .containsExactly(
            new XdsReplica(
                "xds-a",
                Instant.ofEpochMilli(currentRun.startedMillis()),
                NOW.minusSeconds(1).plus(ALIVE_FOR),
                true,
                List.of("m1", "m2")));
  }

  @Test
  void anEndedReplicaIsOfflineAfterItsLastHeartbeatAndForgottenAfterAnHour() {
    ReplicaRun live = new ReplicaRun("xds-live", NOW.minusSeconds(60).toEpochMilli(), ALIVE_FOR);
    ReplicaRun ended = new ReplicaRun("xds-ended", NOW.minusSeconds(600).toEpochMilli(), ALIVE_FOR);
    ReplicaRun gone = new ReplicaRun("xds-gone", NOW.minusSeconds(9000).toEpochMilli(), ALIVE_FOR);
    heartbeat("shop", ended, NOW.minusSeconds(30));
    heartbeat("shop", gone, NOW.minusSeconds(7200));
    heartbeat("shop", live, NOW);

    List<XdsReplica> listed = replicas.list(List.of("shop")).await().indefinitely();

    assertThat(listed).extracting(XdsReplica::instanceId).containsExactly("xds-live", "xds-ended");
    assertThat(listed).extracting(XdsReplica::online).containsExactly(true, false);
    assertThat(listed.get(1).heartbeatHoldsUntil()).isEqualTo(NOW.minusSeconds(30).plus(ALIVE_FOR));
  }

  @Test
  void noMeshesNoReplicas() {
    assertThat(replicas.list(List.of()).await().indefinitely()).isEmpty();
  }

  /** What the xDS tier's heartbeat leaves in the mesh's replicas hash. */
  private void heartbeat(String mesh, ReplicaRun run, Instant at) {
    redis
        .client()
        .send(
            Request.cmd(Command.HSET)
                .arg(keys.replicas(mesh))
                .arg(run.instanceId())
                .arg(run.stored(at)))
        .await()
        .indefinitely();
  }
}

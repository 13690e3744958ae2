package dev.quma.core.store;

import static dev.quma.core.testing.Fixtures.dataplane;
import static dev.quma.core.testing.Fixtures.mesh;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.core.events.FollowedNames;
import dev.quma.core.model.ResourceType;
import dev.quma.core.runtime.RedisDeployment;
import dev.quma.local.FailoverDrill;
import dev.quma.local.LocalRedisCluster;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A master of a Redis Cluster (three masters, three replicas) is killed while the store takes
 * writes in a mesh on each master and a change follower follows them: the replica is promoted, and
 * the same client and follower (no restart) write and follow the killed master's mesh again. With
 * {@code write-replicas=1} no acknowledged write is lost.
 */
class FailoverTest {
  private static final Logger LOG = Logger.getLogger(FailoverTest.class);
  private static final Duration BEFORE = Duration.ofSeconds(2);
  private static final Duration AFTER = Duration.ofSeconds(2);
  private static final Duration GIVE_UP = Duration.ofSeconds(30);

  private LocalRedisCluster cluster;
  private Vertx vertx;
  private Redis redis;
  private FollowedNames follower;

  @BeforeEach
  void cluster() {
    cluster = LocalRedisCluster.startThreeMastersWithReplicas();
    vertx = Vertx.vertx();
    redis = RedisDeployment.parse(cluster.urlSetting(), "cluster", null).client(vertx);
  }

  @AfterEach
  void close() {
    if (follower != null) {
      follower.stop();
    }
    redis.close();
    vertx.closeAndAwait();
    cluster.close();
  }

  @Test
  void writesAndTheFollowerResumeOnThePromotedReplicaWithoutARestart() throws Exception {
    // The killed node stays down: nothing but the client's own topology refresh finds the
    // promoted replica.
    FailoverDrill.Result result =
        drill(WriteReplicas.NONE, FailoverDrill.Plan.cleanKill(8, BEFORE, AFTER, GIVE_UP, false));

    assertThat(result.recovered()).as("%s", result).isTrue();
    assertThat(result.promotedPort()).isNotEqualTo(result.killedPort());
    assertThat(result.writeRecoveryMillis()).isLessThan(15_000);
    assertThat(result.notFollowed()).as("kept writes the follower never saw").isZero();
  }

  @Test
  void writesThatWaitForAReplicaAreNotLost() throws Exception {
    // The replica lags behind (its link kept cut for the 300 ms up to the kill): the master
    // acknowledges
    // nothing it did not get. With one replica per master, the promoted one has none until the
    // killed node is back.
    FailoverDrill.Result result =
        drill(
            new WriteReplicas(1, Duration.ofSeconds(1)),
            new FailoverDrill.Plan(8, BEFORE, AFTER, GIVE_UP, true, Duration.ofMillis(300)));

    assertThat(result.recovered()).as("%s", result).isTrue();
    assertThat(result.lost()).as("acknowledged writes lost").isZero();
    assertThat(result.notFollowed()).isZero();
  }

  private FailoverDrill.Result drill(WriteReplicas replicas, FailoverDrill.Plan plan)
      throws Exception {
    ResourceStore store = new ResourceStore(redis, new StoreSettings("quma", 100_000, replicas));
    List<String> meshes = FailoverDrill.oneMeshPerMaster(cluster, "failover");
    for (String mesh : meshes) {
      store.create(mesh(mesh)).await().atMost(Duration.ofSeconds(10));
    }
    follower =
        new FollowedNames(redis, store, Duration.ofMillis(200))
            .start(meshes, Duration.ofSeconds(10));
    FailoverDrill.Result result =
        new FailoverDrill(cluster, meshes, new StoreTarget(store, follower)).run(plan);
    LOG.infof("failover with %s: %s", replicas, result);
    return result;
  }

  /** The drill's writes, through the store. */
  private record StoreTarget(ResourceStore store, FollowedNames follower)
      implements FailoverDrill.Target {
    @Override
    public void write(String mesh, String name) {
      store
          .create(dataplane(mesh, name, "web", "10.0.0.1", 80))
          .await()
          .atMost(Duration.ofSeconds(5));
    }

    @Override
    public boolean exists(String mesh, String name) {
      return store
          .find(ResourceType.DATAPLANE, mesh, name)
          .await()
          .atMost(Duration.ofSeconds(5))
          .isPresent();
    }

    @Override
    public boolean followed(String mesh, String name) {
      return follower.has(mesh, name);
    }
  }
}

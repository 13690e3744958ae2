package dev.quma.xds.server;

import dev.quma.testing.OnRedisCluster;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Every ADS stream test (views, snapshots, insights, token rechecks), on a Redis Cluster. */
@QuarkusTest
@TestProfile(AdsStreamClusterTest.FastLifecycleOnCluster.class)
class AdsStreamClusterTest extends AdsStreamTest {
  @OnRedisCluster
  public static class FastLifecycleOnCluster extends AdsStreamTest.FastLifecycle {}
}

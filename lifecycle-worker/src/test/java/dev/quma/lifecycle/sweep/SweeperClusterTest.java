package dev.quma.lifecycle.sweep;

import dev.quma.testing.OnRedisCluster;

/** Every sweep test, on a three-master Redis Cluster. */
@OnRedisCluster
class SweeperClusterTest extends SweeperTest {}

package dev.quma.core.stats;

import dev.quma.testing.OnRedisCluster;

/** Every MeshStatsStoreTest test, on a three-master Redis Cluster. */
@OnRedisCluster
class MeshStatsStoreClusterTest extends MeshStatsStoreTest {}

package dev.quma.core.store;

import dev.quma.testing.OnRedisCluster;

/** Every DeleteIfStaleTest test, on a three-master Redis Cluster. */
@OnRedisCluster
class DeleteIfStaleClusterTest extends DeleteIfStaleTest {}

package dev.quma.core.store;

import dev.quma.testing.OnRedisCluster;

/** Every ResourceQueriesTest test, on a three-master Redis Cluster. */
@OnRedisCluster
class ResourceQueriesClusterTest extends ResourceQueriesTest {}

package dev.quma.core.insight;

import dev.quma.testing.OnRedisCluster;

/** Every HeartbeatsTest test, on a three-master Redis Cluster. */
@OnRedisCluster
class HeartbeatsClusterTest extends HeartbeatsTest {}

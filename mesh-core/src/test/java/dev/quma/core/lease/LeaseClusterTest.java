package dev.quma.core.lease;

import dev.quma.testing.OnRedisCluster;

/** Every LeaseTest test, on a three-master Redis Cluster. */
@OnRedisCluster
class LeaseClusterTest extends LeaseTest {}

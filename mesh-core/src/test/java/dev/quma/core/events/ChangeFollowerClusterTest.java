package dev.quma.core.events;

import dev.quma.testing.OnRedisCluster;

/** Every ChangeFollowerTest test, on a three-master Redis Cluster. */
@OnRedisCluster
class ChangeFollowerClusterTest extends ChangeFollowerTest {}

package dev.quma.core.events;

import dev.quma.testing.OnRedisCluster;

/** Every ChangeStreamTest test, on a three-master Redis Cluster. */
@OnRedisCluster
class ChangeStreamClusterTest extends ChangeStreamTest {}

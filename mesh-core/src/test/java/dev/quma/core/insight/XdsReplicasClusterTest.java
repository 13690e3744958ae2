package dev.quma.core.insight;

import dev.quma.testing.OnRedisCluster;

/** Every XdsReplicasTest test, on a three-master Redis Cluster. */
@OnRedisCluster
class XdsReplicasClusterTest extends XdsReplicasTest {}

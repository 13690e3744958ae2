package dev.quma.core.tokens;

import dev.quma.testing.OnRedisCluster;

/** Every DataplaneTokenVerifierTest test, on a three-master Redis Cluster. */
@OnRedisCluster
class DataplaneTokenVerifierClusterTest extends DataplaneTokenVerifierTest {}

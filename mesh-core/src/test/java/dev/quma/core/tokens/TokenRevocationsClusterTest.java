package dev.quma.core.tokens;

import dev.quma.testing.OnRedisCluster;

/** Every TokenRevocationsTest test, on a three-master Redis Cluster. */
@OnRedisCluster
class TokenRevocationsClusterTest extends TokenRevocationsTest {}

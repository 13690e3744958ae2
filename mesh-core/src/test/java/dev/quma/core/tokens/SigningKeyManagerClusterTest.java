package dev.quma.core.tokens;

import dev.quma.testing.OnRedisCluster;

/** Every SigningKeyManagerTest test, on a three-master Redis Cluster. */
@OnRedisCluster
class SigningKeyManagerClusterTest extends SigningKeyManagerTest {}

package dev.quma.core.store;

import dev.quma.testing.OnRedisCluster;

/** Every store test, on a three-master Redis Cluster. */
@OnRedisCluster
class ResourceStoreClusterTest extends ResourceStoreTest {}

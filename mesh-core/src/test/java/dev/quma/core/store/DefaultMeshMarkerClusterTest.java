package dev.quma.core.store;

import dev.quma.testing.OnRedisCluster;

/** Every DefaultMeshMarkerTest test, on a three-master Redis Cluster. */
@OnRedisCluster
class DefaultMeshMarkerClusterTest extends DefaultMeshMarkerTest {}

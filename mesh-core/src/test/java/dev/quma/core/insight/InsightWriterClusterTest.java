package dev.quma.core.insight;

import dev.quma.testing.OnRedisCluster;

/** Every InsightWriterTest test, on a three-master Redis Cluster. */
@OnRedisCluster
class InsightWriterClusterTest extends InsightWriterTest {}

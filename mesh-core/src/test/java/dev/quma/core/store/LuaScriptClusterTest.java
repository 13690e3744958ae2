package dev.quma.core.store;

import dev.quma.testing.OnRedisCluster;

/** Every LuaScriptTest test, on a three-master Redis Cluster. */
@OnRedisCluster
class LuaScriptClusterTest extends LuaScriptTest {}

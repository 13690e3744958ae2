package dev.quma.lifecycle;

import dev.quma.testing.OnRedisClusterProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The worker service (its lease, its sweeps), on a Redis Cluster. */
@QuarkusTest
@TestProfile(OnRedisClusterProfile.class)
class LifecycleServiceClusterTest extends LifecycleServiceTest {}

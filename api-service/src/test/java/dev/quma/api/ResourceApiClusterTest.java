package dev.quma.api;

import dev.quma.testing.OnRedisClusterProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Every resource API test, on a Redis Cluster: fifty concurrent conditional writes among them,
 * which hung Vert.x Redis 4.5.26's cluster client (see the root pom's pin).
 */
@QuarkusTest
@TestProfile(OnRedisClusterProfile.class)
class ResourceApiClusterTest extends ResourceApiTest {}

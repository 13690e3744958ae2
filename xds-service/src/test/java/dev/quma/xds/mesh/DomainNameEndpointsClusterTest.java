package dev.quma.xds.mesh;

import dev.quma.testing.OnRedisClusterProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The Direct proxies' lifecycle and their endpoints, on a Redis Cluster. */
@QuarkusTest
@TestProfile(OnRedisClusterProfile.class)
class DomainNameEndpointsClusterTest extends DomainNameEndpointsTest {}

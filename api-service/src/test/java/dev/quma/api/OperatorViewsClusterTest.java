package dev.quma.api;

import dev.quma.testing.OnRedisClusterProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Every operator view (mesh and global insights, overviews, /config), on a Redis Cluster. */
@QuarkusTest
@TestProfile(OnRedisClusterProfile.class)
class OperatorViewsClusterTest extends OperatorViewsTest {}

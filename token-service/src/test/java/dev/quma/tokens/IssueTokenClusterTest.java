package dev.quma.tokens;

import dev.quma.testing.OnRedisClusterProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** Issuing dataplane tokens, on a Redis Cluster. */
@QuarkusTest
@TestProfile(OnRedisClusterProfile.class)
class IssueTokenClusterTest extends IssueTokenTest {}

package dev.quma.testing;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The test profile of a Quarkus test's cluster variant: with {@code @TestProfile(
 * OnRedisClusterProfile.class)} on a subclass, the Redis test resources ({@link
 * PrivateRedisResource}, and the modules' own through {@link ServiceRedis}) start a local Redis
 * Cluster of three masters and name it to the service as a cluster, so that the parent's tests run
 * on it. A test with a profile of its own annotates a subclass of it {@link OnRedisCluster}.
 */
@OnRedisCluster
public class OnRedisClusterProfile implements QuarkusTestProfile {}

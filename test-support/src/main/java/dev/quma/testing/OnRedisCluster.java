package dev.quma.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a test class's {@link PrivateRedis} as a local Redis Cluster (three masters) instead of one
 * node: a subclass with this annotation runs every test of its parent on a cluster, e.g.
 * {@code @OnRedisCluster class ResourceStoreClusterTest extends ResourceStoreTest {}}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Inherited
public @interface OnRedisCluster {}

package dev.quma.core.store;

/**
 * A dataplane the lifecycle cleanup read and wants gone: deleted only if still at {@code version}.
 */
public record StaleDataplane(String name, long version) {}

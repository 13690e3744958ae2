package dev.quma.core.store;

import java.time.Instant;

/** The outcome of a write: whether it created the resource, and the version it now has. */
public record WriteResult(
    boolean created, long version, Instant creationTime, Instant modificationTime) {}

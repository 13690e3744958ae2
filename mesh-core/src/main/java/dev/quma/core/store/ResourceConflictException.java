package dev.quma.core.store;

import dev.quma.core.model.ResourceType;

/** The resource changed since the version the caller read, or already exists on create. */
public class ResourceConflictException extends StoreException {
  private final long currentVersion;

  public ResourceConflictException(
      ResourceType type, String mesh, String name, long currentVersion, String message) {
    super(type, mesh, name, message);
    this.currentVersion = currentVersion;
  }

  static ResourceConflictException staleVersion(
      ResourceType type, String mesh, String name, long expected, long current) {
    return new ResourceConflictException(
        type,
        mesh,
        name,
        current,
        describe(type, mesh, name)
            + " was modified: expected version "
            + expected
            + ", current version is "
            + current);
  }

  static ResourceConflictException alreadyExists(
      ResourceType type, String mesh, String name, long current) {
    return new ResourceConflictException(
        type, mesh, name, current, describe(type, mesh, name) + " already exists");
  }

  public long currentVersion() {
    return currentVersion;
  }
}

package dev.quma.core.store;

import dev.quma.core.model.ResourceType;

/** A mesh-scoped resource was written into a mesh that does not exist. */
public class MeshNotFoundException extends StoreException {
  public MeshNotFoundException(ResourceType type, String mesh, String name) {
    super(type, mesh, name, "mesh of name " + mesh + " is not found");
  }
}

package dev.quma.core.store;

import dev.quma.core.model.ResourceType;

public class ResourceNotFoundException extends StoreException {
  public ResourceNotFoundException(ResourceType type, String mesh, String name) {
    super(type, mesh, name, describe(type, mesh, name) + " is not found");
  }
}

package dev.quma.core.store;

import dev.quma.core.model.ResourceType;

/** A store operation that could not be done as asked; each subclass maps to one HTTP status. */
public abstract class StoreException extends RuntimeException {
  private final ResourceType type;
  private final String mesh;
  private final String name;

  protected StoreException(ResourceType type, String mesh, String name, String message) {
    super(message);
    this.type = type;
    this.mesh = mesh;
    this.name = name;
  }

  public ResourceType type() {
    return type;
  }

  public String mesh() {
    return mesh;
  }

  public String name() {
    return name;
  }

  static String describe(ResourceType type, String mesh, String name) {
    return type.meshScoped()
        ? type.kumaName() + " \"" + name + "\" in mesh \"" + mesh + "\""
        : type.kumaName() + " \"" + name + "\"";
  }
}

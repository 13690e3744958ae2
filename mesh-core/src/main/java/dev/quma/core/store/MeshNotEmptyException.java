package dev.quma.core.store;

import dev.quma.core.model.ResourceType;

/** Deleting a mesh is refused while dataplanes remain in it. */
public class MeshNotEmptyException extends StoreException {
  private final long dataplanes;

  public MeshNotEmptyException(String mesh, long dataplanes) {
    super(
        ResourceType.MESH,
        null,
        mesh,
        "mesh \""
            + mesh
            + "\" still has "
            + dataplanes
            + " dataplane"
            + (dataplanes == 1 ? "" : "s")
            + "; delete them first");
    this.dataplanes = dataplanes;
  }

  public long dataplanes() {
    return dataplanes;
  }
}

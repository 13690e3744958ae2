package dev.quma.core.model;

import java.util.Arrays;
import java.util.Optional;

/** The resource types this control plane stores, with Kuma's names and URL paths. */
public enum ResourceType {
  MESH("Mesh", "meshes", Scope.GLOBAL, Mesh.class),
  DATAPLANE("Dataplane", "dataplanes", Scope.MESH, Dataplane.class),
  GLOBAL_SECRET("GlobalSecret", "global-secrets", Scope.GLOBAL, SecretData.class),
  SECRET("Secret", "secrets", Scope.MESH, SecretData.class);

  /** Whether a resource lives inside a mesh or beside the meshes. */
  public enum Scope {
    MESH,
    GLOBAL
  }

  private final String kumaName;
  private final String path;
  private final Scope scope;
  private final Class<?> specClass;

  ResourceType(String kumaName, String path, Scope scope, Class<?> specClass) {
    this.kumaName = kumaName;
    this.path = path;
    this.scope = scope;
    this.specClass = specClass;
  }

  /** The value of the {@code type} field, e.g. {@code Dataplane}. */
  public String kumaName() {
    return kumaName;
  }

  /** The collection segment of the HTTP API, e.g. {@code dataplanes}. */
  public String path() {
    return path;
  }

  public Scope scope() {
    return scope;
  }

  public boolean meshScoped() {
    return scope == Scope.MESH;
  }

  public Class<?> specClass() {
    return specClass;
  }

  public static Optional<ResourceType> byKumaName(String name) {
    return Arrays.stream(values()).filter(t -> t.kumaName.equals(name)).findFirst();
  }
}

package dev.quma.core.model;

import java.util.Objects;

/** A resource: its meta and its spec (a {@link Mesh}, {@link Dataplane} or {@link SecretData}). */
public record Resource<S>(ResourceMeta meta, S spec) {

  public Resource {
    Objects.requireNonNull(meta, "meta");
    Objects.requireNonNull(spec, "spec");
    if (!meta.type().specClass().isInstance(spec)) {
      throw new IllegalArgumentException(
          meta.type().kumaName() + " cannot carry a " + spec.getClass().getSimpleName());
    }
  }

  public String name() {
    return meta.name();
  }

  public String mesh() {
    return meta.mesh();
  }

  public long version() {
    return meta.version();
  }
}

package dev.quma.tokens;

import dev.quma.tokens.keys.SigningKeysResource;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A created signing key is answered through {@code Response.entity(...)}, whose type Quarkus cannot
 * see at build time, so a native image must be told to keep its accessors.
 */
@RegisterForReflection(targets = SigningKeysResource.KeyView.class)
public final class NativeReflection {
  private NativeReflection() {}
}

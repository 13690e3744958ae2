package dev.quma.http;

import dev.quma.http.errors.KumaError;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Kuma's error body leaves through {@code Response.entity(...)} (the exception mapper, the auth
 * filter), which Quarkus cannot see at build time, so a native image must be told to keep it.
 */
@RegisterForReflection(ignoreNested = false, targets = KumaError.class)
public final class NativeReflection {
  private NativeReflection() {}
}

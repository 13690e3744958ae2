package dev.quma.api;

import dev.quma.api.views.DataplaneOverviews;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Overviews are written by mesh-core's ResourceCodec into a {@code Response}, out of Quarkus's
 * sight at build time, so a native image must be told to keep their accessors.
 */
@RegisterForReflection(targets = DataplaneOverviews.DataplaneOverview.class)
public final class NativeReflection {
  private NativeReflection() {}
}

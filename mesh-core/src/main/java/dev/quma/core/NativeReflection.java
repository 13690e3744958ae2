package dev.quma.core;

import dev.quma.core.dump.ConfigDumpReply;
import dev.quma.core.dump.ConfigDumpRequest;
import dev.quma.core.insight.DataplaneInsight;
import dev.quma.core.model.Dataplane;
import dev.quma.core.model.Mesh;
import dev.quma.core.model.SecretData;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The records that mesh-core's own ObjectMappers bind by reflection (ResourceCodec's specs, the
 * insights, the xDS dump messages). Quarkus registers what REST endpoints take and return, but not
 * what a hand-held ObjectMapper reads, so a native image would lose their constructors and
 * accessors without this. Nested records (inbounds, subscriptions, ...) are included.
 */
@RegisterForReflection(
    ignoreNested = false,
    targets = {
      Dataplane.class,
      Mesh.class,
      SecretData.class,
      DataplaneInsight.class,
      ConfigDumpRequest.class,
      ConfigDumpReply.class
    })
public final class NativeReflection {
  private NativeReflection() {}
}

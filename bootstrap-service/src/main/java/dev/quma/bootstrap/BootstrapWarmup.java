package dev.quma.bootstrap;

import dev.quma.bootstrap.envoy.BootstrapInput;
import dev.quma.bootstrap.envoy.BootstrapRenderer;
import dev.quma.bootstrap.envoy.EnvoyBootstrapFactory;
import dev.quma.core.model.Dataplane;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceMeta;
import dev.quma.core.model.ResourceType;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.util.List;
import java.util.Map;

/**
 * Builds and prints one bootstrap at start: loading Envoy's proto descriptors takes seconds on a
 * busy host, and must not happen on an event-loop thread inside the first request. Runs after
 * {@link XdsTrust} has loaded the CA.
 */
@ApplicationScoped
public class BootstrapWarmup {
  void warm(
      @Observes @Priority(Interceptor.Priority.APPLICATION + 1000) StartupEvent started,
      EnvoyBootstrapFactory factory) {
    Dataplane spec =
        new Dataplane(
            new Dataplane.Networking("127.0.0.1", null, null, List.of(), List.of(), null, null),
            null,
            null);
    Resource<Dataplane> sample =
        new Resource<>(ResourceMeta.of(ResourceType.DATAPLANE, "warmup", "warmup", Map.of()), spec);
    BootstrapRenderer.yaml(
        factory.build(new BootstrapInput(sample, true, "warmup", null, null, null)));
  }
}

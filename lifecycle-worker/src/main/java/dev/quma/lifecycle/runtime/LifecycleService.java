package dev.quma.lifecycle.runtime;

import dev.quma.lifecycle.LifecycleWorker;
import dev.quma.lifecycle.config.LifecycleSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.jboss.logging.Logger;

/** Starts the worker with the service and stops it (releasing the lease) on shutdown. */
@ApplicationScoped
public class LifecycleService {
  private static final Logger LOG = Logger.getLogger(LifecycleService.class);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

  private final LifecycleWorker worker;
  private final LifecycleSettings settings;

  public LifecycleService(LifecycleWorker worker, LifecycleSettings settings) {
    this.worker = worker;
    this.settings = settings;
  }

  void start(@Observes StartupEvent event) {
    LOG.infof("lifecycle worker starting: %s", settings.describe());
    worker.start();
  }

  void stop(@Observes ShutdownEvent event) {
    try {
      worker.stop().await().atMost(STOP_TIMEOUT);
    } catch (RuntimeException e) {
      LOG.warnf(
          "lifecycle worker did not stop cleanly (the lease will expire): %s", e.getMessage());
    }
  }
}

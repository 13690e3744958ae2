package dev.quma.bootstrap;

import dev.quma.core.store.ResourceStore;
import dev.quma.core.tls.ControlPlaneCa;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * The CA that Envoy must trust to talk to the xDS tier, loaded once at start (before the first
 * request): the configured file, or the control plane's CA from the store.
 */
@ApplicationScoped
public class XdsTrust {
  private static final Logger LOG = Logger.getLogger(XdsTrust.class);

  private final BootstrapConfig config;
  private final ResourceStore store;
  private final Clock clock;
  private volatile String caPem;

  public XdsTrust(BootstrapConfig config, ResourceStore store, Clock clock) {
    this.config = config;
    this.store = store;
    this.clock = clock;
  }

  void load(@Observes StartupEvent started) {
    if (!config.xdsTls()) {
      LOG.warn(
          "bootstraps tell Envoy to reach the xDS tier in PLAINTEXT (quma.bootstrap.xds-tls=false):"
              + " tokens and configuration travel unencrypted");
      return;
    }
    if (config.xdsCaFile().isPresent()) {
      Path file = Path.of(config.xdsCaFile().get());
      try {
        caPem = Files.readString(file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read quma.bootstrap.xds-ca-file " + file, e);
      }
      return;
    }
    caPem =
        new ControlPlaneCa(store, clock)
            .ensure()
            .await()
            .atMost(Duration.ofSeconds(30))
            .certificatePem();
  }

  /** The CA certificate (PEM), or null when Envoy talks plaintext to the xDS tier. */
  public String caPem() {
    return caPem;
  }
}

package dev.quma.core.tls;

import dev.quma.core.store.StoreRecovery;
import io.smallrye.mutiny.Uni;
import java.util.Optional;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * After a wipe, puts back the control plane CA this process holds (the one its certificate, and the
 * trust its bootstraps hand out, come from): a new CA would leave every running replica's
 * certificate, and every Envoy's trust, pointing at one the store no longer has.
 */
public final class CaRecovery implements StoreRecovery {
  private static final Logger LOG = Logger.getLogger(CaRecovery.class);

  private final ControlPlaneCa store;
  private final Supplier<Optional<CertificateAuthority>> held;

  public CaRecovery(ControlPlaneCa store, Supplier<Optional<CertificateAuthority>> held) {
    this.store = store;
    this.held = held;
  }

  @Override
  public String name() {
    return "the control plane CA";
  }

  @Override
  public Uni<Void> recreate() {
    Optional<CertificateAuthority> ca = held.get();
    if (ca.isEmpty()) {
      return Uni.createFrom().voidItem();
    }
    return store
        .restore(ca.get())
        .invoke(
            kept -> {
              if (!kept.certificatePem().equals(ca.get().certificatePem())) {
                LOG.warn(
                    "the store got another control plane CA before this one was put back:"
                        + " certificates issued by this process's CA are not trusted by new"
                        + " bootstraps until it restarts");
              }
            })
        .replaceWithVoid();
  }
}

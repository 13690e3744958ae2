package dev.quma.api.startup;

import dev.quma.core.store.StoreRecovery;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * After a wipe, the defaults are made again: the default mesh (the wiped store has no marker, so it
 * is a first start; a mesh deleted in this store stays deleted), the user-token signing key and the
 * admin token. Not ready until done.
 */
@ApplicationScoped
public class DefaultsRecovery implements StoreRecovery {
  private final Defaults defaults;

  public DefaultsRecovery(Defaults defaults) {
    this.defaults = defaults;
  }

  @Override
  public String name() {
    return "the default mesh and the admin token";
  }

  @Override
  public void forget() {
    defaults.lost();
  }

  @Override
  public Uni<Void> recreate() {
    return defaults.ensure();
  }
}

package dev.quma.tokens.runtime;

import dev.quma.core.events.ChangeStream;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.tokens.KeyEncryption;
import dev.quma.core.tokens.SigningKeyManager;
import dev.quma.core.tokens.TokenRevocations;
import dev.quma.tokens.TokenServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.jboss.logging.Logger;

/** The token parts of mesh-core, configured for this service. */
@ApplicationScoped
public class TokenBeans {
  private static final Logger LOG = Logger.getLogger(TokenBeans.class);

  @Produces
  @Singleton
  SigningKeyManager signingKeys(
      ResourceStore store, ChangeStream changes, TokenServiceConfig config) {
    Optional<KeyEncryption> encryption =
        config.signingKeyEncryptionKey().map(KeyEncryption::fromBase64);
    if (encryption.isPresent()) {
      LOG.infof(
          "new signing keys are stored encrypted (encryption key fingerprint %s)",
          encryption.get().fingerprint());
    } else {
      LOG.info(
          "new signing keys are stored as PEM, as Kuma stores them; set"
              + " QUMA_TOKENS_SIGNING_KEY_ENCRYPTION_KEY to encrypt them at rest");
    }
    return new SigningKeyManager(store, changes, encryption);
  }

  @Produces
  @Singleton
  TokenRevocations revocations(ResourceStore store) {
    return new TokenRevocations(store);
  }
}

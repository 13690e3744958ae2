package dev.quma.xds.streams;

import dev.quma.core.model.ProxyType;
import dev.quma.core.store.StoreWatch;
import dev.quma.core.tokens.DataplaneTokenVerifier;
import dev.quma.core.tokens.TokenRefusedException;
import io.grpc.Status;
import org.jboss.logging.Logger;

/**
 * Checks the tokens of a mesh's open streams again when what decides their validity changed (a
 * token revoked, a signing key removed), and ends the streams whose token is now refused: a revoked
 * token must not keep a proxy in the mesh until it happens to reconnect. Tags are not checked again
 * (they were checked on admission and a revocation does not change them). The other streams a token
 * opened ({@link HeldTokens}: health checks) are checked with them.
 */
public final class TokenRechecks {
  private static final Logger LOG = Logger.getLogger(TokenRechecks.class);

  private final ProxyStreams streams;
  private final HeldTokens held;
  private final DataplaneTokenVerifier verifier;
  private final StoreWatch store;

  public TokenRechecks(
      ProxyStreams streams, HeldTokens held, DataplaneTokenVerifier verifier, StoreWatch store) {
    this.streams = streams;
    this.held = held;
    this.verifier = verifier;
    this.store = store;
  }

  /**
   * Checks the mesh's streams again, unless the store lost its data: then its keys are gone, every
   * token would be refused, and the streams are the wipe recovery's to keep ({@link
   * StoreWipeRecovery}).
   */
  public void recheck(String mesh) {
    store
        .sameStore()
        .subscribe()
        .with(
            same -> {
              if (same) {
                recheckNow(mesh);
              } else {
                LOG.infof(
                    "not checking the tokens of mesh %s again: the store lost its data", mesh);
              }
            },
            e ->
                LOG.warnf("could not check the tokens of mesh %s again: %s", mesh, e.getMessage()));
  }

  private void recheckNow(String mesh) {
    verifier.invalidate(mesh);
    for (StreamSession session : streams.sessions()) {
      if (session.key().mesh().equals(mesh) && session.token() != null) {
        recheck(mesh, session.key().name(), session.token(), "stream", session::terminate);
      }
    }
    for (HeldTokens.Holder holder : held.all()) {
      if (holder.mesh().equals(mesh) && holder.token() != null) {
        recheck(mesh, holder.name(), holder.token(), "health check stream", holder::terminate);
      }
    }
  }

  private void recheck(
      String mesh,
      String name,
      String token,
      String stream,
      java.util.function.Consumer<Status> terminate) {
    verifier
        .verify(token, mesh, name, ProxyType.DATAPLANE, /* tags */ null)
        .subscribe()
        .with(
            verified -> {},
            failure -> {
              if (failure instanceof TokenRefusedException refused) {
                LOG.infof(
                    "ending the %s of %s.%s: its dataplane token is refused now (%s)",
                    stream, mesh, name, refused.getMessage());
                terminate.accept(
                    Status.UNAUTHENTICATED.withDescription(
                        "the dataplane token is no longer valid: " + refused.getMessage()));
              } else {
                LOG.warnf(
                    "could not check the token of %s.%s again: %s",
                    mesh, name, failure.getMessage());
              }
            });
  }
}

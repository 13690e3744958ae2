package dev.quma.xds.lifecycle;

import dev.quma.core.model.ProxyType;
import dev.quma.core.tokens.DataplaneTokenVerifier;
import dev.quma.core.tokens.TokenRefusedException;
import dev.quma.xds.insights.StreamSession;
import io.grpc.Status;
import org.jboss.logging.Logger;

/**
 * Checks the tokens of a mesh's open streams again when what decides their validity changed (a
 * token revoked, a signing key removed), and ends the streams whose token is now refused: a revoked
 * token must not keep a proxy in the mesh until it happens to reconnect. Tags are not checked again
 * (they were checked on admission and a revocation does not change them).
 */
public final class TokenRechecks {
  private static final Logger LOG = Logger.getLogger(TokenRechecks.class);

  private final ProxyStreams streams;
  private final DataplaneTokenVerifier verifier;

  public TokenRechecks(ProxyStreams streams, DataplaneTokenVerifier verifier) {
    this.streams = streams;
    this.verifier = verifier;
  }

  public void recheck(String mesh) {
    verifier.invalidate(mesh);
    for (StreamSession session : streams.sessions()) {
      if (!session.key().mesh().equals(mesh) || session.token() == null) {
        continue;
      }
      verifier
          .verify(session.token(), mesh, session.key().name(), ProxyType.DATAPLANE, /* tags */ null)
          .subscribe()
          .with(
              verified -> {},
              failure -> {
                if (failure instanceof TokenRefusedException refused) {
                  LOG.infof(
                      "ending the stream of %s: its dataplane token is refused now (%s)",
                      session.key(), refused.getMessage());
                  session.terminate(
                      Status.UNAUTHENTICATED.withDescription(
                          "the dataplane token is no longer valid: " + refused.getMessage()));
                } else {
                  LOG.warnf(
                      "could not check the token of %s again: %s",
                      session.key(), failure.getMessage());
                }
              });
    }
  }
}

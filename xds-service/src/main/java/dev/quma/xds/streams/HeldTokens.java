package dev.quma.xds.streams;

import io.grpc.Status;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The streams besides ADS that a proxy's dataplane token keeps open on this replica (its health
 * check stream): {@link TokenRechecks} checks their tokens again with the ADS streams', so a
 * revoked token ends every stream it opened.
 */
public final class HeldTokens {
  /** A stream admitted with a dataplane token, and how to end it. */
  public interface Holder {
    String mesh();

    String name();

    String token();

    void terminate(Status status);
  }

  private final Set<Holder> holders = ConcurrentHashMap.newKeySet();

  public void add(Holder holder) {
    holders.add(holder);
  }

  public void remove(Holder holder) {
    holders.remove(holder);
  }

  Collection<Holder> all() {
    return List.copyOf(holders);
  }
}

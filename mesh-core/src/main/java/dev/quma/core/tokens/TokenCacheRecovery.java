package dev.quma.core.tokens;

import dev.quma.core.auth.UserTokens;
import dev.quma.core.store.StoreRecovery;

/**
 * After a wipe, forgets the keys and revocations cached from the old store: the new store gives the
 * same names and serials to other keys, and a revocation list read from the old one describes
 * tokens of keys that are gone.
 */
public final class TokenCacheRecovery implements StoreRecovery {
  private final UserTokens userTokens;
  private final DataplaneTokenVerifier verifier;

  public TokenCacheRecovery(UserTokens userTokens, DataplaneTokenVerifier verifier) {
    this.userTokens = userTokens;
    this.verifier = verifier;
  }

  @Override
  public String name() {
    return "the token key and revocation caches";
  }

  @Override
  public void forget() {
    userTokens.forgetKeys();
    verifier.forgetAll();
  }
}

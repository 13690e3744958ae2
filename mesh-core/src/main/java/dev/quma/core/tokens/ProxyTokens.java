package dev.quma.core.tokens;

import dev.quma.core.model.ProxyType;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Issues a dataplane token bound to one proxy's mesh and name, signed in this process with the
 * mesh's current key. For tests, benchmarks and demos that start proxies themselves: such tokens
 * are not in token-service's issuance ledger, so operators issue theirs through token-service.
 */
public final class ProxyTokens {
  private ProxyTokens() {}

  public static Uni<String> issue(
      SigningKeyManager keys, String mesh, String name, Duration validity) {
    return keys.signingKey(mesh)
        .map(
            key -> {
              Instant now = Instant.now();
              DataplaneTokenClaims claims =
                  new DataplaneTokenClaims(
                      name,
                      mesh,
                      new TreeMap<>(),
                      ProxyType.DATAPLANE.wireName(),
                      "",
                      UUID.randomUUID().toString(),
                      now,
                      now,
                      now.plus(validity));
              return DataplaneTokenSigner.sign(claims, key.serial(), key.privateKey());
            });
  }
}

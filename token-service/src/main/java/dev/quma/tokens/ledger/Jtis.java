package dev.quma.tokens.ledger;

import dev.quma.http.errors.ApiException;
import dev.quma.http.errors.KumaError;
import java.util.List;
import java.util.UUID;

/** Token ids are UUIDs, as Kuma's are. */
public final class Jtis {
  private Jtis() {}

  public static UUID parse(String jti, String title) {
    try {
      UUID id = UUID.fromString(jti);
      if (id.toString().equalsIgnoreCase(jti)) {
        return id;
      }
    } catch (IllegalArgumentException | NullPointerException e) {
      // reported below
    }
    throw new ApiException(
        400,
        title,
        "Invalid token id",
        List.of(new KumaError.Cause("jti", "must be a token id (a UUID), got \"" + jti + "\"")));
  }
}

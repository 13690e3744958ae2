package dev.quma.tokens.issue;

import dev.quma.core.tokens.SigningKeyUnavailableException;
import dev.quma.http.errors.ApiException;
import dev.quma.http.errors.Errors;
import java.util.function.Function;

/** Errors.translate, plus what only token operations raise. */
public final class TokenErrors {
  private TokenErrors() {}

  public static Function<Throwable, Throwable> titled(String title) {
    return error ->
        error instanceof SigningKeyUnavailableException unavailable
            // A configuration problem of this service, not the caller's: no key material in it.
            ? new ApiException(503, title, unavailable.getMessage())
            : Errors.translate(error, title);
  }
}

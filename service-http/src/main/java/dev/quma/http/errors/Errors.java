package dev.quma.http.errors;

import dev.quma.core.auth.InvalidTokenException;
import dev.quma.core.codec.MalformedResourceException;
import dev.quma.core.store.MeshNotEmptyException;
import dev.quma.core.store.MeshNotFoundException;
import dev.quma.core.store.ResourceConflictException;
import dev.quma.core.store.ResourceNotFoundException;
import dev.quma.core.tokens.TokenRefusedException;
import dev.quma.core.validation.ValidationException;
import java.util.List;
import java.util.function.Function;

/**
 * Translates domain errors into Kuma's error shapes. The title says what was being done (Kuma's
 * wording, e.g. "Could not retrieve a resource"); status and detail say what went wrong.
 */
public final class Errors {
  private Errors() {}

  public static final String RETRIEVE_ONE = "Could not retrieve a resource";
  public static final String RETRIEVE_MANY = "Could not retrieve resources";
  public static final String PROCESS = "Could not process a resource";
  public static final String DELETE = "Could not delete a resource";

  /** For {@code uni.onFailure().transform(Errors.titled(...))}: domain errors get this title. */
  public static Function<Throwable, Throwable> titled(String title) {
    return error -> translate(error, title);
  }

  public static Throwable translate(Throwable error, String title) {
    return switch (error) {
      case ApiException api -> api;
      case ValidationException invalid ->
          new ApiException(
              400,
              title,
              "Resource is not valid",
              invalid.violations().stream()
                  .map(v -> new KumaError.Cause(v.field(), v.message()))
                  .toList());
      case MalformedResourceException malformed ->
          new ApiException(
              400,
              title,
              "Resource is not valid",
              List.of(new KumaError.Cause(malformed.field(), malformed.getMessage())));
      case MeshNotFoundException mesh ->
          new ApiException(
              400,
              title,
              "Mesh is not found",
              List.of(new KumaError.Cause("mesh", mesh.getMessage())));
      case ResourceNotFoundException missing -> new ApiException(404, title, missing.getMessage());
      case MeshNotEmptyException notEmpty -> new ApiException(409, title, notEmpty.getMessage());
      case ResourceConflictException conflict ->
          new ApiException(409, title, conflict.getMessage());
      case InvalidTokenException token ->
          new ApiException(401, "Unauthenticated", token.getMessage());
      // A genuine dataplane token of another proxy is forbidden; any other refusal unauthenticated.
      case TokenRefusedException refused ->
          new ApiException(
              refused.forbidden() ? 403 : 401,
              title,
              refused.getMessage(),
              List.of(
                  new KumaError.Cause(
                      "token", refused.reason().name().toLowerCase(java.util.Locale.ROOT))));
      default -> error;
    };
  }
}

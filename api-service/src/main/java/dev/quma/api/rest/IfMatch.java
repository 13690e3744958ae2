package dev.quma.api.rest;

import dev.quma.core.store.ResourceNotFoundException;
import dev.quma.core.validation.FieldPath;
import dev.quma.core.validation.ValidationException;
import dev.quma.core.validation.Violation;
import dev.quma.http.errors.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.List;
import java.util.OptionalLong;

/**
 * What a request's {@code If-Match} asks for: nothing, a resource that exists in any version
 * ({@code *}), or one version (the ETag, {@code "12"}, {@code W/"12"} or {@code 12}).
 *
 * @param any {@code If-Match: *}
 * @param version the expected version; empty for none and for {@code *}
 */
record IfMatch(boolean any, OptionalLong version) {
  private static final IfMatch NONE = new IfMatch(false, OptionalLong.empty());

  static IfMatch of(HttpHeaders headers) {
    String value = headers.getHeaderString(HttpHeaders.IF_MATCH);
    if (value == null || value.isBlank()) {
      return NONE;
    }
    String version = value.trim();
    if (version.equals("*")) {
      return new IfMatch(true, OptionalLong.empty());
    }
    if (version.startsWith("W/")) {
      version = version.substring(2);
    }
    version = version.replace("\"", "");
    try {
      return new IfMatch(false, OptionalLong.of(Long.parseLong(version)));
    } catch (NumberFormatException e) {
      throw new ValidationException(
          List.of(
              new Violation(
                  FieldPath.of("If-Match").text(),
                  "must be the ETag of the resource, e.g. \"12\", or *")));
    }
  }

  /**
   * {@code operation}, whose missing resource is a failed precondition (412) under {@code If-Match:
   * *}, as HTTP has it; a plain 404 otherwise.
   */
  <T> Uni<T> requireExisting(Uni<T> operation, String title) {
    if (!any) {
      return operation;
    }
    return operation
        .onFailure(ResourceNotFoundException.class)
        .transform(
            e ->
                new ApiException(
                    412, title, "If-Match: * asks for an existing resource: " + e.getMessage()));
  }
}

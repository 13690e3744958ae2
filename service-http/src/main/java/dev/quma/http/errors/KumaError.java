package dev.quma.http.errors;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Kuma's error body (pkg/core/rest/errors/types): the current fields ({@code detail}, {@code
 * invalid_parameters}) and the deprecated ones ({@code details}, {@code causes}) that older clients
 * still read, filled alike.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record KumaError(
    String type,
    int status,
    String title,
    String detail,
    String instance,
    @JsonProperty("invalid_parameters") List<InvalidParameter> invalidParameters,
    String details,
    List<Cause> causes) {

  public record InvalidParameter(String field, String reason) {}

  public record Cause(String field, String message) {}

  public static KumaError of(
      int status, String title, String detail, List<Cause> causes, String instance) {
    List<InvalidParameter> parameters =
        causes.stream().map(c -> new InvalidParameter(c.field(), c.message())).toList();
    return new KumaError(
        "/std-errors", status, title, detail, instance, parameters, detail, causes);
  }
}

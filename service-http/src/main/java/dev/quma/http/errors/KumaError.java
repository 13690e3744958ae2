package dev.quma.http.errors;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.quma.core.codec.UserMessages;
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

  /**
   * The body of an error. No class name reaches a user: whatever a library put into a message is
   * replaced by what it stands for ({@link UserMessages}).
   */
  public static KumaError of(
      int status, String title, String rawDetail, List<Cause> rawCauses, String instance) {
    String detail = UserMessages.withoutClassNames(rawDetail);
    List<Cause> causes =
        rawCauses.stream()
            .map(c -> new Cause(c.field(), UserMessages.withoutClassNames(c.message())))
            .toList();
    List<InvalidParameter> parameters =
        causes.stream().map(c -> new InvalidParameter(c.field(), c.message())).toList();
    return new KumaError(
        "/std-errors", status, title, detail, instance, parameters, detail, causes);
  }
}

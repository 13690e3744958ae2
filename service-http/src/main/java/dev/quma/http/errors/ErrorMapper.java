package dev.quma.http.errors;

import dev.quma.core.logging.RepeatedErrors;
import dev.quma.core.runtime.StoreConfig;
import dev.quma.core.store.StoreUnavailable;
import dev.quma.core.store.StoreWatch;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves the service as a Kuma error body; never a stack trace. */
public class ErrorMapper {
  private static final Logger LOG = Logger.getLogger(ErrorMapper.class);
  // A client repeating a failing request gets its id each time; the log gets the stack trace once.
  private static final RepeatedErrors REPEATS = new RepeatedErrors(Duration.ofMinutes(1));

  private final StoreWatch store;
  private final long retryAfterSeconds;

  public ErrorMapper(StoreWatch store, StoreConfig config) {
    this.store = store;
    this.retryAfterSeconds = Math.max(1, config.unavailableRetryAfter().toSeconds());
  }

  @ServerExceptionMapper
  public Response api(ApiException e) {
    return respond(KumaError.of(e.status(), e.title(), e.getMessage(), e.causes(), null));
  }

  @ServerExceptionMapper
  public Response notFound(NotFoundException e, HttpServerRequest request) {
    return respond(
        KumaError.of(
            404,
            "Not found",
            "no endpoint at " + request.method() + " " + request.path(),
            List.of(),
            null));
  }

  @ServerExceptionMapper
  public Response notAllowed(NotAllowedException e, HttpServerRequest request) {
    return respond(
        KumaError.of(
            405,
            "Method not allowed",
            request.method() + " is not allowed on " + request.path(),
            List.of(),
            null));
  }

  @ServerExceptionMapper
  public Response unsupported(NotSupportedException e) {
    return respond(
        KumaError.of(
            415,
            "Unsupported media type",
            "send application/json or application/yaml",
            List.of(),
            null));
  }

  @ServerExceptionMapper
  public Response webApplication(WebApplicationException e) {
    int status = e.getResponse().getStatus();
    return respond(KumaError.of(status, "Bad request", e.getMessage(), List.of(), null));
  }

  @ServerExceptionMapper
  public Response unexpected(Throwable e) {
    Throwable translated = Errors.translate(e, "Could not process the request");
    if (translated instanceof ApiException api) {
      return api(api);
    }
    if (StoreUnavailable.is(e)) {
      return storeUnavailable(e);
    }
    // The correlation id lets an operator find the stack trace in the log; the client gets no
    // details.
    String instance = UUID.randomUUID().toString();
    RepeatedErrors.Occurrence occurrence = REPEATS.occurred(RepeatedErrors.causeOf(e), instance);
    switch (occurrence.verdict()) {
      case FIRST -> LOG.errorf(e, "unexpected error %s", instance);
      case SUMMARY ->
          LOG.errorf(
              "unexpected error %s: %s, the cause of %s (logged with its stack trace), seen %d more"
                  + " times since the last line",
              instance, e, occurrence.firstId(), occurrence.repeats());
      case SILENT -> {
        // counted; the next summary line reports it
      }
    }
    return respond(
        KumaError.of(
            500,
            "Internal Server Error",
            "the server failed to handle the request; it is logged as " + instance,
            List.of(),
            instance));
  }

  /**
   * Redis down or loading is nobody's fault and passes: 503 with {@code Retry-After}, and the log
   * gets one line per outage (from the store watch), not a stack trace per request.
   */
  private Response storeUnavailable(Throwable e) {
    store.unavailable(e);
    return Response.fromResponse(
            respond(
                KumaError.of(
                    503,
                    "Service unavailable",
                    "the store is unavailable; retry in " + retryAfterSeconds + " s",
                    List.of(),
                    null)))
        .header("Retry-After", retryAfterSeconds)
        .build();
  }

  static Response respond(KumaError error) {
    return Response.status(error.status())
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(error)
        .build();
  }
}

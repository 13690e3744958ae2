package dev.quma.bootstrap.web;

import dev.quma.core.admission.AdmissionRefusedException;
import dev.quma.http.errors.ApiException;
import dev.quma.http.errors.Errors;
import dev.quma.http.errors.KumaError;

/** The HTTP edge of admission: a refusal as Kuma's error body, under the bootstrap's title. */
final class AdmissionAnswers {
  static final String TITLE = "Could not bootstrap the dataplane";

  private AdmissionAnswers() {}

  static Throwable http(Throwable error) {
    if (!(error instanceof AdmissionRefusedException refused)) {
      return Errors.translate(error, TITLE);
    }
    int status =
        switch (refused.reason()) {
          case INVALID_REQUEST, UNSUPPORTED_PROXY_TYPE -> 400;
          case NO_TOKEN -> 401;
          case MESH_NOT_FOUND, DATAPLANE_NOT_FOUND -> 404;
          case NAME_IN_USE -> 409;
        };
    String detail =
        switch (refused.reason()) {
          case NO_TOKEN ->
              "the request carries no dataplane token: generate one (qumactl generate"
                  + " dataplane-token) and pass it to the agent (--dataplane-token-file)";
          default -> refused.getMessage();
        };
    return new ApiException(
        status,
        TITLE,
        detail,
        refused.violations().stream()
            .map(v -> new KumaError.Cause(v.field(), v.message()))
            .toList());
  }
}

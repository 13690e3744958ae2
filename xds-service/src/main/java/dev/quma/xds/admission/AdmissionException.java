package dev.quma.xds.admission;

import io.grpc.Status;

/** A stream refused at admission; its status and description go to the proxy. */
public class AdmissionException extends RuntimeException {
  private final Status.Code code;

  public AdmissionException(Status.Code code, String message) {
    super(message);
    this.code = code;
  }

  public Status status() {
    return Status.fromCode(code).withDescription(getMessage());
  }
}

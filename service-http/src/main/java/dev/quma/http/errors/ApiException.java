package dev.quma.http.errors;

import java.util.List;

/**
 * An error already decided at the edge: its status, title, detail and causes go to the client as
 * they are.
 */
public class ApiException extends RuntimeException {
  private final int status;
  private final String title;
  private final List<KumaError.Cause> causes;

  public ApiException(int status, String title, String detail, List<KumaError.Cause> causes) {
    super(detail);
    this.status = status;
    this.title = title;
    this.causes = List.copyOf(causes);
  }

  public ApiException(int status, String title, String detail) {
    this(status, title, detail, List.of());
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  public List<KumaError.Cause> causes() {
    return causes;
  }
}

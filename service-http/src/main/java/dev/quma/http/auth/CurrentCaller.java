package dev.quma.http.auth;

import dev.quma.core.auth.Caller;
import jakarta.enterprise.context.RequestScoped;

/** The caller of the request being served, as {@link CallerFilter} established it. */
@RequestScoped
public class CurrentCaller {
  private Caller caller = Caller.ANONYMOUS;

  public Caller get() {
    return caller;
  }

  public void set(Caller caller) {
    this.caller = caller;
  }
}

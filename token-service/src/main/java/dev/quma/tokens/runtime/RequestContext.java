package dev.quma.tokens.runtime;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.Executor;

/**
 * The Vert.x context of the request being served, as an executor. Redis answers and worker threads
 * continue a pipeline elsewhere; Hibernate Reactive must be called back on the request's own
 * (duplicated) context, so pipelines hop back with {@code emitOn(RequestContext.current())}.
 */
public final class RequestContext {
  private RequestContext() {}

  public static Executor current() {
    Context context = Vertx.currentContext();
    if (context == null) {
      return Runnable::run;
    }
    return command -> context.runOnContext(ignored -> command.run());
  }
}

package dev.quma.dpagent;

import java.util.function.Consumer;
import sun.misc.Signal;

/**
 * Takes over SIGTERM (and SIGINT), so that the agent drains Envoy instead of the JVM exiting at
 * once with 143.
 */
final class Signals {
  private Signals() {}

  /** Runs {@code action} with the signal's name ("SIGTERM", "SIGINT"). */
  static void onTerminate(Consumer<String> action) {
    Signal.handle(new Signal("TERM"), signal -> action.accept("SIG" + signal.getName()));
    Signal.handle(new Signal("INT"), signal -> action.accept("SIG" + signal.getName()));
  }
}

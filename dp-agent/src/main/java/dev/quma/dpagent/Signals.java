package dev.quma.dpagent;

import sun.misc.Signal;

/**
 * Takes over SIGTERM (and SIGINT), so that the agent drains Envoy instead of the JVM exiting at
 * once with 143.
 */
final class Signals {
  private Signals() {}

  static void onTerminate(Runnable action) {
    Signal.handle(new Signal("TERM"), signal -> action.run());
    Signal.handle(new Signal("INT"), signal -> action.run());
  }
}

package dev.quma.dpagent;

/** Stops the agent with a message for the person running it and the exit code for their scripts. */
public class AgentException extends RuntimeException {
  private final int exitCode;

  public AgentException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public AgentException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}

package dev.quma.core.dump;

/**
 * The answer to a {@link ConfigDumpRequest}: an HTTP-like status and a body (the dump's JSON, or a
 * message). Encoded as the status, a newline and the body, so the dump goes through untouched.
 */
public record ConfigDumpReply(int status, String body) {

  public static ConfigDumpReply found(String dumpJson) {
    return new ConfigDumpReply(200, dumpJson);
  }

  /** The replica has no stream of that proxy. */
  public static ConfigDumpReply notConnected(String message) {
    return new ConfigDumpReply(404, message);
  }

  public static ConfigDumpReply failed(String message) {
    return new ConfigDumpReply(500, message);
  }

  public String encode() {
    return status + "\n" + body;
  }

  public static ConfigDumpReply decode(String message) {
    int newline = message.indexOf('\n');
    try {
      return new ConfigDumpReply(
          Integer.parseInt(message.substring(0, newline)), message.substring(newline + 1));
    } catch (RuntimeException e) {
      return failed("unreadable reply from the xDS replica");
    }
  }
}

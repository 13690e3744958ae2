package dev.quma.dpagent;

/** The agent's exit codes: one per thing a person would fix differently. */
public final class ExitCodes {
  private ExitCodes() {}

  public static final int OK = 0;

  /** The control plane refused for another reason (conflict, unknown mesh, server error). */
  public static final int REFUSED = 1;

  /** Bad command line. */
  public static final int USAGE = 2;

  /** The dataplane file (or token or CA file) cannot be read. */
  public static final int BAD_FILE = 3;

  /** A --dataplane-var is malformed, or the template uses one that was not given. */
  public static final int BAD_VAR = 4;

  /** The dataplane token was refused (missing, invalid, expired, revoked, for another proxy). */
  public static final int TOKEN_REFUSED = 5;

  /** The rendered dataplane resource is not valid. */
  public static final int BAD_RESOURCE = 6;

  /** The control plane could not be reached before the bootstrap timeout. */
  public static final int UNREACHABLE = 7;

  /** No Envoy binary to run (and not --bootstrap-only). */
  public static final int ENVOY_MISSING = 8;

  /** Envoy exited by itself, or could not be started. */
  public static final int ENVOY_FAILED = 9;

  /** The control plane's certificate is not trusted (wrong or missing --ca-cert-file). */
  public static final int TLS_UNTRUSTED = 10;

  /** The readiness reporter's port is taken, or is Envoy's admin port too. */
  public static final int READINESS_PORT_IN_USE = 11;
}

package dev.quma.core.admission;

import dev.quma.core.validation.Violation;
import java.util.List;
import java.util.Objects;

/**
 * A proxy was refused admission. {@link #reason()} says why, in terms the edges translate into
 * their own answers (an HTTP status, a gRPC status); {@link #violations()} name the fields of the
 * {@link AdmissionRequest} at fault, when there are any. The message is meant for the caller.
 *
 * <p>A refused token is a {@link dev.quma.core.tokens.TokenRefusedException}, and an offered
 * resource that is malformed or invalid a {@link dev.quma.core.codec.MalformedResourceException} or
 * {@link dev.quma.core.validation.ValidationException}, as everywhere else.
 */
public class AdmissionRefusedException extends RuntimeException {

  /** Why a proxy was refused. */
  public enum Reason {
    /** The request does not say which dataplane it is, or says two different ones. */
    INVALID_REQUEST,
    /** A proxy type this control plane does not serve (yet). */
    UNSUPPORTED_PROXY_TYPE,
    /** Tokens are checked and the proxy sent none. */
    NO_TOKEN,
    MESH_NOT_FOUND,
    /** Indirect mode, and no such dataplane is stored. */
    DATAPLANE_NOT_FOUND,
    /** The name is taken by a live proxy of another identity. */
    NAME_IN_USE
  }

  private final Reason reason;
  private final transient List<Violation> violations;

  public AdmissionRefusedException(Reason reason, String message, List<Violation> violations) {
    super(message, null, false, false);
    this.reason = Objects.requireNonNull(reason);
    this.violations = List.copyOf(violations);
  }

  public Reason reason() {
    return reason;
  }

  public List<Violation> violations() {
    return violations;
  }
}

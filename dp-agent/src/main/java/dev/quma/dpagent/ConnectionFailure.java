package dev.quma.dpagent;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Says in the user's terms why the control plane could not be reached. A failure that waiting
 * cannot fix (a certificate this agent does not trust, a plaintext server behind an https URL) ends
 * the run at once; the rest (refused, timed out, unknown host) are worth retrying.
 */
final class ConnectionFailure {
  private ConnectionFailure() {}

  /** The sentence to retry with, or an {@link AgentException} when retrying cannot help. */
  static String retryReasonOrThrow(IOException failure, URI endpoint, Path caCertFile) {
    String where = endpoint.getHost() + ":" + portOf(endpoint);
    if (causedBy(failure, SSLHandshakeException.class)
        || causedBy(failure, CertificateException.class)) {
      throw new AgentException(ExitCodes.TLS_UNTRUSTED, untrusted(failure, where, caCertFile));
    }
    if (causedBy(failure, SSLException.class)) {
      throw new AgentException(
          ExitCodes.TLS_UNTRUSTED,
          "cannot speak TLS with "
              + where
              + " (is it a plaintext server? then use http:// in --cp-address)");
    }
    if (causedBy(failure, ConnectException.class)) {
      return "cannot reach the control plane: connection refused at " + where;
    }
    if (causedBy(failure, UnknownHostException.class)) {
      return "cannot reach the control plane: unknown host " + endpoint.getHost();
    }
    if (failure instanceof HttpConnectTimeoutException) {
      return "cannot reach the control plane: no answer from "
          + where
          + " within the connect timeout";
    }
    if (failure instanceof HttpTimeoutException) {
      return "cannot reach the control plane: " + where + " did not answer in time";
    }
    return "cannot reach the control plane at "
        + where
        + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
  }

  private static String untrusted(IOException failure, String where, Path caCertFile) {
    String detail = String.valueOf(rootMessage(failure));
    String why =
        detail.contains("subject alternative")
            ? "its certificate is not issued for " + where.substring(0, where.lastIndexOf(':'))
            : caCertFile == null
                ? "its certificate is not signed by a CA this machine trusts"
                : "its certificate is not signed by the CA in --ca-cert-file " + caCertFile;
    return "the control plane at "
        + where
        + " is not trusted: "
        + why
        + ". Pass --ca-cert-file with the CA that signed bootstrap-service's certificate (under"
        + " bin/run: --ca-cert-file .quma/tls/bootstrap-service/ca.crt)";
  }

  private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable failure) {
    Throwable t = failure;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage();
  }

  private static int portOf(URI endpoint) {
    if (endpoint.getPort() != -1) {
      return endpoint.getPort();
    }
    return "https".equals(endpoint.getScheme()) ? 443 : 80;
  }
}

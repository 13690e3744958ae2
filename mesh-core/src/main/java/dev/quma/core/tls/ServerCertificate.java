package dev.quma.core.tls;

/** A server's certificate chain (leaf, then the CA) and its private key, both PEM. Never logged. */
public record ServerCertificate(String chainPem, String keyPem) {
  @Override
  public String toString() {
    return "ServerCertificate[chain, key=<redacted>]";
  }
}

package dev.quma.core.tokens;

/**
 * A signing key exists but cannot be used to sign: it is encrypted and no (or another) encryption
 * key is configured, or its data is not a key. Never carries key material.
 */
public class SigningKeyUnavailableException extends RuntimeException {
  public SigningKeyUnavailableException(String message) {
    super(message);
  }
}

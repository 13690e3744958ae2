package dev.quma.core.auth;

/** A token was refused; the message says why without revealing key material. */
public class InvalidTokenException extends RuntimeException {
  public InvalidTokenException(String reason) {
    super(reason);
  }
}

package dev.quma.core.codec;

/**
 * A body that is not a well-formed resource (syntax, unknown field, wrong type), naming the field.
 */
public class MalformedResourceException extends RuntimeException {
  private final String field;

  public MalformedResourceException(String field, String message) {
    super(message);
    this.field = field;
  }

  /** The field in Kuma's notation, or an empty string for the document as a whole. */
  public String field() {
    return field;
  }
}

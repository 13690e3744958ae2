package dev.quma.core.validation;

/**
 * A field path in Kuma's notation: {@code networking.inbound[0].tags["kuma.io/service"]}.
 * Immutable; every step returns a new path.
 */
public record FieldPath(String text) {

  private static final FieldPath ROOT = new FieldPath("");

  public static FieldPath root() {
    return ROOT;
  }

  public static FieldPath of(String field) {
    return ROOT.field(field);
  }

  public FieldPath field(String name) {
    return new FieldPath(text.isEmpty() ? name : text + "." + name);
  }

  public FieldPath index(int i) {
    return new FieldPath(text + "[" + i + "]");
  }

  public FieldPath key(String key) {
    return new FieldPath(text + "[\"" + key + "\"]");
  }

  @Override
  public String toString() {
    return text;
  }
}

package dev.quma.http.edge;

/**
 * RFC 9110's grammar of media types ({@code type/subtype *(; name=value)}) and media ranges (the
 * same with {@code *}{@code /*} or {@code type/*}, as in {@code Accept}), checked strictly so that
 * whatever passes also parses in the REST layer.
 */
final class MediaTypes {
  private MediaTypes() {}

  private static final int MAX_LENGTH = 1024;

  static boolean isMediaType(String value) {
    return parse(value, false);
  }

  static boolean isMediaRange(String value) {
    return parse(value, true);
  }

  private static boolean parse(String value, boolean range) {
    if (value.length() > MAX_LENGTH) {
      return false;
    }
    String[] parts = value.split(";", -1);
    String essence = parts[0].trim();
    int slash = essence.indexOf('/');
    if (slash <= 0 || slash == essence.length() - 1) {
      return false;
    }
    String type = essence.substring(0, slash);
    String subtype = essence.substring(slash + 1);
    if (range && type.equals("*")) {
      if (!subtype.equals("*")) {
        return false;
      }
    } else if (!isToken(type) || !(range && subtype.equals("*") || isToken(subtype))) {
      return false;
    } else if (!range && (type.equals("*") || subtype.equals("*"))) {
      return false;
    }
    for (int i = 1; i < parts.length; i++) {
      if (!isParameter(parts[i].trim())) {
        return false;
      }
    }
    return true;
  }

  private static boolean isParameter(String parameter) {
    int equals = parameter.indexOf('=');
    if (equals <= 0) {
      return false;
    }
    String name = parameter.substring(0, equals);
    String value = parameter.substring(equals + 1);
    return isToken(name) && (isToken(value) || isQuotedPlain(value));
  }

  /**
   * A quoted string without the characters that list and parameter splitting would cut ({@code ,}
   * and {@code ;}) or escapes: the REST layer's parser does not honour quoting.
   */
  private static boolean isQuotedPlain(String value) {
    if (value.length() < 2 || value.charAt(0) != '"' || value.charAt(value.length() - 1) != '"') {
      return false;
    }
    for (int i = 1; i < value.length() - 1; i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == ',' || c == ';') {
        return false;
      }
    }
    return true;
  }

  private static boolean isToken(String text) {
    if (text.isEmpty()) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean alphanumeric = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
      if (!alphanumeric && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }
}

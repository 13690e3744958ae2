package dev.quma.core.logging;

/**
 * Escapes what would let a logged string forge log lines or drive a terminal: CR and LF, ANSI
 * escape sequences (ESC), every other C0 and C1 control character and the Unicode line separators.
 * Tabs stay. Node ids, names, paths and every other caller-supplied text pass through here before
 * they reach a log (see {@link EscapingLogFilter}).
 */
public final class LogText {
  private LogText() {}

  public static String escape(String text) {
    if (text == null || !needsEscaping(text)) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        default -> {
          if (isEscaped(c)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  public static boolean needsEscaping(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (isEscaped(text.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isEscaped(char c) {
    return c < 0x20 && c != '\t' || c >= 0x7f && c <= 0x9f || c == '\u2028' || c == '\u2029';
  }
}

package dev.quma.core.codec;

import java.util.regex.Pattern;

/**
 * Keeps the names of our code's and our libraries' classes out of what users read: error details
 * say what is wrong in the user's terms, and a class name that a library put into a message is
 * replaced by what it stands for.
 */
public final class UserMessages {
  private UserMessages() {}

  // `java.lang.String`, `com.fasterxml...JsonNode`, org.yaml.snakeyaml.events.SequenceStartEvent...
  private static final Pattern QUOTED_CLASS = Pattern.compile("`[A-Za-z_$][\\w$]*(\\.[\\w$]+)+`");
  private static final Pattern QUALIFIED_CLASS =
      Pattern.compile("\\b(?:[a-z_][a-z0-9_]*\\.){2,}[A-Z][\\w$]*(?:\\[])?");
  private static final Pattern LIBRARY_FEATURE =
      Pattern.compile(
          "\\s*\\(?(?:as per|to enable|enable|disable)\\s+`?[A-Z]\\w*Feature\\.\\w+`?[^)]*\\)?");

  /** {@code text} with every class name replaced by "a value", and library switches left out. */
  public static String withoutClassNames(String text) {
    if (text == null) {
      return null;
    }
    String out = LIBRARY_FEATURE.matcher(text).replaceAll("");
    out = QUOTED_CLASS.matcher(out).replaceAll("a value");
    return QUALIFIED_CLASS.matcher(out).replaceAll("a value");
  }

  /** Whether {@code text} names a class (what the hostile-input checks look for too). */
  public static boolean namesAClass(String text) {
    return text != null
        && (QUOTED_CLASS.matcher(text).find() || QUALIFIED_CLASS.matcher(text).find());
  }
}

package dev.quma.dpagent;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a dataplane file as a Mustache template with the {@code --dataplane-var} values. Kuma's
 * documentation prints variables as {@code { { name } }} (a rendering artefact that people copy),
 * so that spaced form is turned into {@code {{name}}} first. A variable the template uses but the
 * command line does not give is an error naming it, never an empty string.
 */
public final class DataplaneTemplate {
  private static final Pattern SPACED =
      Pattern.compile("\\{\\s+\\{\\s*([A-Za-z0-9_.\\-]+)\\s*}\\s+}");
  private static final Mustache.Compiler COMPILER =
      Mustache.compiler().escapeHTML(false).strictSections(true);

  private DataplaneTemplate() {}

  public static String render(String template, Map<String, String> vars) {
    String normalised = normalise(template);
    try {
      return COMPILER.compile(normalised).execute(vars);
    } catch (MustacheException.Context e) {
      throw new AgentException(
          ExitCodes.BAD_VAR,
          "the dataplane file uses the variable \""
              + e.key
              + "\" (line "
              + e.lineNo
              + "), which no --dataplane-var gives: add --dataplane-var "
              + e.key
              + "=...");
    } catch (MustacheException e) {
      throw new AgentException(
          ExitCodes.BAD_FILE, "the dataplane file is not a valid template: " + e.getMessage());
    }
  }

  /** {@code { { name } }} becomes {@code {{name}}}; everything else is left as it is. */
  static String normalise(String template) {
    Matcher matcher = SPACED.matcher(template);
    return matcher.replaceAll(m -> Matcher.quoteReplacement("{{" + m.group(1) + "}}"));
  }
}

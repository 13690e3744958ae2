package dev.quma.dpagent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code --dataplane-var key=value} options as a map; the last of a repeated key wins. */
public final class DataplaneVars {
  private DataplaneVars() {}

  public static Map<String, String> parse(List<String> options) {
    Map<String, String> vars = new LinkedHashMap<>();
    for (String option : options) {
      int equals = option.indexOf('=');
      if (equals <= 0) {
        throw new AgentException(
            ExitCodes.BAD_VAR,
            "--dataplane-var \""
                + option
                + "\" must be key=value, e.g. --dataplane-var name=web-1");
      }
      vars.put(option.substring(0, equals).trim(), option.substring(equals + 1));
    }
    return vars;
  }
}

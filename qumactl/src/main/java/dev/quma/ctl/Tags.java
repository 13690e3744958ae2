package dev.quma.ctl;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/** kumactl's {@code --tag key=value[,value]} flags, merged into a map of lists. */
final class Tags {
  private Tags() {}

  static Map<String, List<String>> parse(
      List<String> flags, Function<String, ? extends RuntimeException> usage) {
    Map<String, Set<String>> merged = new TreeMap<>();
    for (String flag : flags) {
      int equals = flag.indexOf('=');
      if (equals <= 0 || equals == flag.length() - 1) {
        throw usage.apply("--tag must be key=value, got \"" + flag + "\"");
      }
      Set<String> values =
          merged.computeIfAbsent(flag.substring(0, equals), k -> new LinkedHashSet<>());
      for (String value : flag.substring(equals + 1).split(",")) {
        if (value.isEmpty()) {
          throw usage.apply("--tag has an empty value: \"" + flag + "\"");
        }
        values.add(value);
      }
    }
    Map<String, List<String>> out = new TreeMap<>();
    merged.forEach((key, values) -> out.put(key, new ArrayList<>(values)));
    return out;
  }
}

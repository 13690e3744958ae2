package dev.quma.xds;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of xds-service depend on each other in one direction (docs/xds.md, "Packages"): no
 * package reaches, through any chain of references, back to itself.
 */
class PackageCyclesTest {
  private static final Path SOURCES = Path.of("src/main/java");
  private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);
  private static final Pattern REFERENCE =
      Pattern.compile("(?<!package )\\b(dev\\.quma\\.xds(?:\\.[a-z]\\w*)*)\\.[A-Z]");

  @Test
  void noPackageReachesItself() throws IOException {
    Map<String, Set<String>> uses = uses();
    assertThat(uses).containsKeys("dev.quma.xds.server", "dev.quma.xds.envoy");
    List<String> cycles = new ArrayList<>();
    for (String start : uses.keySet()) {
      Deque<List<String>> paths = new ArrayDeque<>();
      paths.push(List.of(start));
      Set<String> seen = new TreeSet<>();
      while (!paths.isEmpty()) {
        List<String> path = paths.pop();
        for (String next : uses.getOrDefault(path.getLast(), Set.of())) {
          if (next.equals(start)) {
            List<String> cycle = new ArrayList<>(path);
            cycle.add(start);
            cycles.add(String.join(" -> ", cycle));
          } else if (seen.add(next)) {
            List<String> longer = new ArrayList<>(path);
            longer.add(next);
            paths.push(longer);
          }
        }
      }
    }
    assertThat(cycles).as("package cycles").isEmpty();
  }

  /** For each package, the other xds packages its sources name (imports and qualified names). */
  private static Map<String, Set<String>> uses() throws IOException {
    Map<String, Set<String>> uses = new TreeMap<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String source = Files.readString(file);
        Matcher pkg = PACKAGE.matcher(source);
        assertThat(pkg.find()).as("package of %s", file).isTrue();
        Set<String> used = uses.computeIfAbsent(pkg.group(1), p -> new TreeSet<>());
        Matcher reference = REFERENCE.matcher(source);
        while (reference.find()) {
          if (!reference.group(1).equals(pkg.group(1))) {
            used.add(reference.group(1));
          }
        }
      }
    }
    return uses;
  }
}

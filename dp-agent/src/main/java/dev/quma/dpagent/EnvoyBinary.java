package dev.quma.dpagent;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the Envoy to run: {@code --binary-path}, else {@code envoy} on the PATH. */
public final class EnvoyBinary {
  private EnvoyBinary() {}

  public static Optional<Path> find(Path binaryPath, String pathVariable) {
    if (binaryPath != null) {
      return Files.isExecutable(binaryPath) ? Optional.of(binaryPath) : Optional.empty();
    }
    if (pathVariable == null) {
      return Optional.empty();
    }
    for (String dir : pathVariable.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, "envoy");
      if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}

package dev.quma.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Renders a kustomization with the kubectl on the PATH ({@code kubectl kustomize}). */
final class Kustomize {
  private Kustomize() {}

  /** Whether a kubectl answers here; the rendering tests are skipped, saying so, when none does. */
  static boolean available() {
    try {
      Process process =
          new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The rendered YAML of {@code dir}; fails with kubectl's message when it cannot render. */
  static String render(Path dir) {
    return run(dir, false);
  }

  /**
   * Like {@link #render}, for a kustomization that reaches outside its own directory (the tests'
   * compositions of an overlay with components, written under target/).
   */
  static String renderUnrestricted(Path dir) {
    return run(dir, true);
  }

  private static String run(Path dir, boolean unrestricted) {
    List<String> command = new ArrayList<>(List.of("kubectl", "kustomize"));
    if (unrestricted) {
      command.addAll(List.of("--load-restrictor", "LoadRestrictionsNone"));
    }
    command.add(dir.toString());
    try {
      Path errors = Files.createTempFile("kustomize", ".err");
      try {
        Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new AssertionError("kubectl kustomize " + dir + " did not finish in 120s");
        }
        if (process.exitValue() != 0) {
          throw new AssertionError(
              "kubectl kustomize " + dir + " failed:\n" + Files.readString(errors));
        }
        return out;
      } finally {
        Files.deleteIfExists(errors);
      }
    } catch (IOException e) {
      throw new AssertionError("could not run kubectl kustomize " + dir, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while rendering " + dir, e);
    }
  }
}

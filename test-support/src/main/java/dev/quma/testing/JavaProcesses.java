package dev.quma.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * A class of the test's class path run as a process of its own, as the real binary would run: the
 * Envoy stand-in, the agent. One place knows how to find the JVM and the class path.
 */
public final class JavaProcesses {
  private JavaProcesses() {}

  /** The java binary of the JVM running the test. */
  public static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** The test's class path (under surefire, java.class.path may be its booter jar only). */
  public static String classPath() {
    String path = System.getProperty("surefire.test.class.path");
    return path != null && !path.isBlank() ? path : System.getProperty("java.class.path");
  }

  /** The command that runs {@code main} with {@code arguments}. */
  public static List<String> command(Class<?> main, String... arguments) {
    List<String> command = new ArrayList<>(List.of(javaBin(), "-cp", classPath(), main.getName()));
    command.addAll(List.of(arguments));
    return command;
  }

  /**
   * An executable file {@code dir/name} that runs {@code main} with the arguments it is given: for
   * a program that takes the path of a binary to start (the agent's {@code --binary-path}).
   */
  public static Path script(Path dir, String name, Class<?> main) {
    Path script = dir.resolve(name);
    try {
      Files.writeString(
          script,
          "#!/bin/sh\nexec '"
              + javaBin()
              + "' -cp '"
              + classPath()
              + "' "
              + main.getName()
              + " \"$@\"\n");
      Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
      return script;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

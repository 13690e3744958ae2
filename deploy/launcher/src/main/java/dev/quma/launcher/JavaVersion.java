package dev.quma.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The feature release (21, 25, ...) of a JDK, read from its {@code release} file. */
final class JavaVersion {
  private static final Pattern VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(?:1\\.)?(\\d+)");

  private JavaVersion() {}

  /** The JDK's feature release; this JVM's when the file is missing or unreadable. */
  static int feature(Path javaHome) {
    try {
      Matcher m = VERSION.matcher(Files.readString(javaHome.resolve("release")));
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
    } catch (IOException | RuntimeException e) {
      // fall through
    }
    return Runtime.version().feature();
  }
}

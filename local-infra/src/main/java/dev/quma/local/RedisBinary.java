package dev.quma.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds a {@code redis-server} executable: the one on the PATH when there is one, otherwise the
 * binary that the embedded-redis artifact bundles (Redis 6.2), unpacked once into a cache
 * directory.
 */
public final class RedisBinary {

  private RedisBinary() {}

  /** The executable to run; never null. */
  public static Path locate() {
    return onPath().orElseGet(RedisBinary::bundled);
  }

  static Optional<Path> onPath() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, "redis-server");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  static Path bundled() {
    String resource = bundledResourceName();
    Path cacheDir =
        Path.of(
            System.getProperty("java.io.tmpdir"), "quma-redis-" + System.getProperty("user.name"));
    Path target = cacheDir.resolve(resource);
    if (Files.isExecutable(target)) {
      return target;
    }
    try (InputStream in = RedisBinary.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "no bundled redis-server for this platform (" + resource + ")");
      }
      Files.createDirectories(cacheDir);
      Path tmp = Files.createTempFile(cacheDir, "redis-server", ".part");
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("could not unpack the bundled redis-server", e);
    }
  }

  private static String bundledResourceName() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    boolean arm = arch.contains("aarch64") || arch.contains("arm64");
    if (os.contains("linux")) {
      return arm ? "redis-server-6.2.7-linux-arm64" : "redis-server-6.2.6-v5-linux-amd64";
    }
    if (os.contains("mac")) {
      return arm ? "redis-server-6.2.6-v5-darwin-arm64" : "redis-server-6.2.6-v5-darwin-amd64";
    }
    throw new IllegalStateException(
        "no bundled redis-server for "
            + os
            + "/"
            + arch
            + "; install Redis and put it on the PATH");
  }
}

package dev.quma.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The JVM options a service runs with: its own {@code src/main/jvm/jvm.options} (heap, GC, Netty
 * arenas), and its AOT cache ({@code target/quarkus-app/app.aot}, made by {@code mvn -Dquma.aot
 * verify}) when the JDK is 25 or newer and the cache is at least as new as every jar it was made
 * from. A missing or stale cache is not an error: the service starts without it, and {@link
 * #cacheNote()} says why in one line.
 */
public final class ServiceJvm {
  /** The JDK release whose AOT cache ({@code -XX:AOTCache}, JEP 483/514/515) Quarkus writes. */
  static final int AOT_RELEASE = 25;

  private final List<String> options;
  private final Optional<String> cacheNote;

  private ServiceJvm(List<String> options, Optional<String> cacheNote) {
    this.options = List.copyOf(options);
    this.cacheNote = cacheNote;
  }

  /** How {@code spec}'s service is run by {@code javaHome}'s JVM. */
  public static ServiceJvm of(ServiceSpec spec, Path javaHome) {
    return of(spec, JavaVersion.feature(javaHome), true);
  }

  /**
   * As {@link #of(ServiceSpec, Path)}, for a JDK of release {@code feature}; {@code useCache} false
   * leaves the AOT cache out (the start benchmark's cases without it).
   */
  public static ServiceJvm of(ServiceSpec spec, int feature, boolean useCache) {
    List<String> options = new ArrayList<>();
    Path jvmOptions = jvmOptionsFile(spec);
    if (Files.isRegularFile(jvmOptions)) {
      options.add("@" + jvmOptions);
    }
    // Netty and Protobuf still call sun.misc.Unsafe; from JDK 24 on each JVM would print a warning
    // block about it at start. Allowing it is today's behaviour, minus the noise.
    if (feature >= 24) {
      options.add("--sun-misc-unsafe-memory-access=allow");
    }
    if (!useCache) {
      return new ServiceJvm(options, Optional.empty());
    }
    Path cache = cacheFile(spec);
    String name = spec.name();
    if (!Files.isRegularFile(cache)) {
      return new ServiceJvm(
          options,
          Optional.of(
              name
                  + ": no AOT cache ("
                  + cache
                  + "): a plain start (bin/run --rebuild, or mvn -Dquma.aot verify, makes one)"));
    }
    if (feature < AOT_RELEASE) {
      return new ServiceJvm(
          options,
          Optional.of(
              name
                  + ": the AOT cache needs JDK "
                  + AOT_RELEASE
                  + "+ and this is JDK "
                  + feature
                  + ": a plain start"));
    }
    Optional<Path> newer = newerJar(spec.jar().getParent(), cache);
    if (newer.isPresent()) {
      return new ServiceJvm(
          options,
          Optional.of(
              name
                  + ": stale AOT cache ("
                  + newer.get().getFileName()
                  + " was rebuilt after it): a plain start (bin/run --rebuild makes a fresh one)"));
    }
    // The JVM checks the cache again (same JDK, jars and flags) and falls back to a plain start
    // by itself; -Xlog:aot*=off keeps that fallback from printing a block of warnings.
    options.add("-XX:AOTCache=" + cache);
    options.add("-Xlog:aot*=off");
    return new ServiceJvm(options, Optional.empty());
  }

  /** The options to put before {@code -jar}. */
  public List<String> options() {
    return options;
  }

  /** Whether the service runs with its AOT cache. */
  public boolean usesCache() {
    return options.stream().anyMatch(o -> o.startsWith("-XX:AOTCache="));
  }

  /** One line saying why the cache is not used (missing, stale, old JDK); empty otherwise. */
  public Optional<String> cacheNote() {
    return cacheNote;
  }

  /** {@code <module>/src/main/jvm/jvm.options}, beside the module's {@code target/}. */
  static Path jvmOptionsFile(ServiceSpec spec) {
    return moduleDir(spec).resolve("src/main/jvm/jvm.options");
  }

  /** {@code app.aot} beside the service's {@code quarkus-run.jar}, where Quarkus writes it. */
  static Path cacheFile(ServiceSpec spec) {
    return spec.jar().resolveSibling("app.aot");
  }

  private static Path moduleDir(ServiceSpec spec) {
    // <module>/target/quarkus-app/quarkus-run.jar
    Path dir = spec.jar().toAbsolutePath().getParent();
    for (int i = 0; i < 2 && dir.getParent() != null; i++) {
      dir = dir.getParent();
    }
    return dir;
  }

  /** A jar of the application directory modified after the cache was written, if any. */
  private static Optional<Path> newerJar(Path appDir, Path cache) {
    try (Stream<Path> files = Files.walk(appDir)) {
      FileTime written = Files.getLastModifiedTime(cache);
      return files
          .filter(f -> f.getFileName().toString().endsWith(".jar"))
          .filter(f -> modified(f).compareTo(written) > 0)
          .findFirst();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + appDir, e);
    }
  }

  private static FileTime modified(Path file) {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file, e);
    }
  }
}

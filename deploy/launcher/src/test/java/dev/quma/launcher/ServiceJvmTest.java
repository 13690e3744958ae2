package dev.quma.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceJvmTest {
  @TempDir Path module;
  Path app;
  ServiceSpec spec;

  @BeforeEach
  void aPackagedService() throws Exception {
    app = Files.createDirectories(module.resolve("target/quarkus-app"));
    Files.createDirectories(app.resolve("lib/main"));
    Files.writeString(app.resolve("quarkus-run.jar"), "jar");
    Files.writeString(app.resolve("lib/main/dep.jar"), "jar");
    Files.createDirectories(module.resolve("src/main/jvm"));
    Files.writeString(module.resolve("src/main/jvm/jvm.options"), "-Xmx256m\n");
    spec = new ServiceSpec("api-service", app.resolve("quarkus-run.jar"), 5681, "API", Map.of());
    age(app.resolve("quarkus-run.jar"), 60);
    age(app.resolve("lib/main/dep.jar"), 60);
  }

  @Test
  void aFreshCacheIsUsedWithTheServicesOwnOptions() throws Exception {
    Files.writeString(app.resolve("app.aot"), "cache");

    ServiceJvm jvm = ServiceJvm.of(spec, 25, true);

    assertThat(jvm.options())
        .containsExactly(
            "@" + module.resolve("src/main/jvm/jvm.options"),
            "--sun-misc-unsafe-memory-access=allow",
            "-XX:AOTCache=" + app.resolve("app.aot"),
            "-Xlog:aot*=off");
    assertThat(jvm.usesCache()).isTrue();
    assertThat(jvm.cacheNote()).isEmpty();
  }

  @Test
  void aMissingCacheIsAPlainStartSaidInOneLine() {
    ServiceJvm jvm = ServiceJvm.of(spec, 25, true);

    assertThat(jvm.usesCache()).isFalse();
    assertThat(jvm.options()).contains("@" + module.resolve("src/main/jvm/jvm.options"));
    assertThat(jvm.cacheNote())
        .hasValueSatisfying(
            note -> assertThat(note).startsWith("api-service: no AOT cache").doesNotContain("\n"));
  }

  @Test
  void aJarRebuiltAfterTheTrainingMakesTheCacheStale() throws Exception {
    Files.writeString(app.resolve("app.aot"), "cache");
    age(app.resolve("app.aot"), 30);
    Files.writeString(app.resolve("lib/main/dep.jar"), "rebuilt");

    ServiceJvm jvm = ServiceJvm.of(spec, 25, true);

    assertThat(jvm.usesCache()).isFalse();
    assertThat(jvm.cacheNote())
        .hasValueSatisfying(
            note ->
                assertThat(note)
                    .startsWith("api-service: stale AOT cache (dep.jar was rebuilt after it)"));
  }

  @Test
  void anOlderJdkStartsPlainAndSaysWhy() throws Exception {
    Files.writeString(app.resolve("app.aot"), "cache");

    ServiceJvm jvm = ServiceJvm.of(spec, 21, true);

    assertThat(jvm.options()).doesNotContain("--sun-misc-unsafe-memory-access=allow");
    assertThat(jvm.usesCache()).isFalse();
    assertThat(jvm.cacheNote())
        .hasValue("api-service: the AOT cache needs JDK 25+ and this is JDK 21: a plain start");
  }

  @Test
  void withoutTheCacheAskedForThereIsNothingToSay() throws Exception {
    ServiceJvm jvm = ServiceJvm.of(spec, 25, false);

    assertThat(jvm.usesCache()).isFalse();
    assertThat(jvm.cacheNote()).isEmpty();
  }

  private static void age(Path file, long seconds) throws Exception {
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(seconds)));
  }
}

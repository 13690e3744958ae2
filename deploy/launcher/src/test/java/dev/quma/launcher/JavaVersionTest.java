package dev.quma.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaVersionTest {
  @TempDir Path jdk;

  @Test
  void readsTheFeatureReleaseFromTheReleaseFile() throws Exception {
    Files.writeString(
        jdk.resolve("release"), "IMPLEMENTOR=\"Eclipse Adoptium\"\nJAVA_VERSION=\"25.0.1\"\n");
    assertThat(JavaVersion.feature(jdk)).isEqualTo(25);
    Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"21\"\n");
    assertThat(JavaVersion.feature(jdk)).isEqualTo(21);
  }

  @Test
  void withoutAReleaseFileItIsThisJvmsRelease() {
    assertThat(JavaVersion.feature(jdk.resolve("none"))).isEqualTo(Runtime.version().feature());
  }

  @Test
  void theRunningJdkIsReadCorrectly() {
    assertThat(JavaVersion.feature(Path.of(System.getProperty("java.home"))))
        .isEqualTo(Runtime.version().feature());
  }
}

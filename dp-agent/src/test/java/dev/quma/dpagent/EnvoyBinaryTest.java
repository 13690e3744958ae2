package dev.quma.dpagent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvoyBinaryTest {
  @TempDir Path dir;

  @Test
  void theFirstExecutableEnvoyOnThePathIsTaken() throws Exception {
    Path empty = Files.createDirectory(dir.resolve("empty"));
    Path notExecutable = Files.createDirectory(dir.resolve("plain"));
    Files.writeString(notExecutable.resolve("envoy"), "");
    Path bin = Files.createDirectory(dir.resolve("bin"));
    Path envoy = bin.resolve("envoy");
    Files.writeString(envoy, "#!/bin/sh\n");
    Files.setPosixFilePermissions(envoy, PosixFilePermissions.fromString("rwx------"));

    String path =
        String.join(File.pathSeparator, empty.toString(), notExecutable.toString(), bin.toString());
    assertThat(EnvoyBinary.find(null, path)).contains(envoy);
    assertThat(EnvoyBinary.find(null, empty.toString())).isEmpty();
    assertThat(EnvoyBinary.find(null, null)).isEmpty();
  }

  @Test
  void binaryPathWinsAndMustBeExecutable() throws Exception {
    Path custom = dir.resolve("my-envoy");
    Files.writeString(custom, "");
    assertThat(EnvoyBinary.find(custom, "/usr/bin")).isEmpty();
    Files.setPosixFilePermissions(custom, PosixFilePermissions.fromString("rwx------"));
    assertThat(EnvoyBinary.find(custom, "/usr/bin")).contains(custom);
  }
}

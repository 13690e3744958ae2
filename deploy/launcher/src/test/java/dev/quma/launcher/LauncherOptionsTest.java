package dev.quma.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LauncherOptionsTest {

  @Test
  void aConfiguredRedisUrlWinsOverTheLocalOne() {
    assertThat(LauncherOptions.parse(new String[0], Map.of()).redisUrl()).isNull();
    assertThat(
            LauncherOptions.parse(new String[0], Map.of("QUMA_REDIS_URL", "redis://r:6379"))
                .redisUrl())
        .isEqualTo("redis://r:6379");
    assertThat(
            LauncherOptions.parse(
                    new String[] {"--redis-url", "redis://x:1"},
                    Map.of("QUMA_REDIS_URL", "redis://r:6379"))
                .redisUrl())
        .isEqualTo("redis://x:1");
  }

  @Test
  void badArgumentsAreClearErrors() {
    assertThatThrownBy(() -> LauncherOptions.parse(new String[] {"--redis-url"}, Map.of()))
        .hasMessage("--redis-url needs a value");
    assertThatThrownBy(
            () -> LauncherOptions.parse(new String[] {"--redis-url", "localhost:6379"}, Map.of()))
        .hasMessageContaining("must start with redis://");
    assertThatThrownBy(() -> LauncherOptions.parse(new String[] {"--bogus"}, Map.of()))
        .hasMessage("unknown option --bogus");
  }
}

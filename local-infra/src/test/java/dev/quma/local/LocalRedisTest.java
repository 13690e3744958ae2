package dev.quma.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

class LocalRedisTest {

  @Test
  void startsAnsweringRedisAndStopsOnClose() {
    int port;
    try (LocalRedis redis = LocalRedis.startEphemeral()) {
      port = redis.port();
      assertThat(LocalRedis.answersPing("127.0.0.1", port)).isTrue();
      assertThat(redis.url()).isEqualTo("redis://127.0.0.1:" + port);
    }
    assertThat(LocalRedis.answersPing("127.0.0.1", port)).isFalse();
  }

  @Test
  void bundledBinaryIsExecutableWithoutASystemRedis() {
    // The launcher relies on this when a laptop has no Redis installed.
    assertThat(Files.isExecutable(RedisBinary.bundled())).isTrue();
  }
}

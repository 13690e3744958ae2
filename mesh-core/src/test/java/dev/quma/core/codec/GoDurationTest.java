package dev.quma.core.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {

  @ParameterizedTest
  @CsvSource({
    "24h, PT24H",
    "1h30m, PT1H30M",
    "1.5s, PT1.5S",
    "300ms, PT0.3S",
    "2h45m10.5s, PT2H45M10.5S",
    "0, PT0S",
    "-1m, PT-1M",
    "87600h, PT87600H",
    "1us, PT0.000001S",
    "10ns, PT0.00000001S"
  })
  void parsesGoDurations(String text, String expected) {
    assertThat(GoDuration.parse(text)).isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "24", "h", "1d", "1.2.3s", "abc", "1h 30m", "-", "1hh"})
  void refusesWhatGoRefuses(String text) {
    assertThatThrownBy(() -> GoDuration.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("time: ")
        .hasMessageContaining("\"" + text + "\"");
  }

  @ParameterizedTest
  @CsvSource({"PT24H, 24h", "PT1H30M, 1h30m", "PT0.5S, 0.5s", "PT0S, 0s", "PT90M, 1h30m"})
  void formatsAsGoDoes(String duration, String expected) {
    assertThat(GoDuration.format(Duration.parse(duration))).isEqualTo(expected);
  }
}

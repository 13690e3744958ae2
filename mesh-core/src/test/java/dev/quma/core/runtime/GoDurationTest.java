package dev.quma.core.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({
    "5m, PT5M",
    "72h, PT72H",
    "90s, PT1M30S",
    "1h30m, PT1H30M",
    "1.5h, PT1H30M",
    "2h45m30.5s, PT2H45M30.5S",
    "300ms, PT0.3S",
    "10us, PT0.00001S",
    "10µs, PT0.00001S",
    "7ns, PT0.000000007S",
    "0, PT0S",
    "-1m, PT-1M",
    "+1m, PT1M",
    ".5s, PT0.5S",
    "1.s, PT1S",
    "PT10S, PT10S",
    "' 30s ', PT30S"
  })
  void readsWhatGoReads(String text, String expected) {
    assertThat(GoDuration.parse(text)).isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "5", "m", "5x", "5 m", "1..5s", ".s", "-", "1h-5m", "PTxS"})
  void refusesWhatGoRefusesWithAMessageNamingTheText(String text) {
    assertThatThrownBy(() -> GoDuration.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid duration \"" + text + "\"");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"PT72H, 72h", "PT5M, 5m", "PT1M30S, 1m30s", "PT0.25S, 250ms", "PT0S, 0s"})
  void formatsAsGoWrites(String iso, String text) {
    assertThat(GoDuration.format(Duration.parse(iso))).isEqualTo(text);
    assertThat(GoDuration.parse(text)).isEqualTo(Duration.parse(iso));
  }
}

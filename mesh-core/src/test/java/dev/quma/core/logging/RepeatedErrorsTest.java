package dev.quma.core.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RepeatedErrorsTest {
  @Test
  void aCauseIsLoggedWholeOnceThenSummarisedAtMostOncePerInterval() {
    AtomicLong now = new AtomicLong(0);
    Clock clock =
        new Clock() {
          @Override
          public Instant instant() {
            return Instant.ofEpochMilli(now.get());
          }

          @Override
          public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }
        };
    RepeatedErrors repeats = new RepeatedErrors(Duration.ofMinutes(1), clock);

    assertThat(repeats.occurred("npe@X", "id-1").verdict()).isEqualTo(RepeatedErrors.Verdict.FIRST);
    for (int i = 0; i < 179; i++) {
      now.addAndGet(100);
      assertThat(repeats.occurred("npe@X", "id-" + i).verdict())
          .isEqualTo(RepeatedErrors.Verdict.SILENT);
    }
    now.set(60_000);
    RepeatedErrors.Occurrence summary = repeats.occurred("npe@X", "id-next");
    assertThat(summary.verdict()).isEqualTo(RepeatedErrors.Verdict.SUMMARY);
    assertThat(summary.firstId()).isEqualTo("id-1");
    assertThat(summary.repeats()).isEqualTo(180);
    assertThat(repeats.occurred("other@Y", "id-2").verdict())
        .isEqualTo(RepeatedErrors.Verdict.FIRST);
  }

  @Test
  void theCauseIsWhereTheRootWasThrownNotItsMessage() {
    RuntimeException a = new RuntimeException("wrap", new IllegalStateException("value 1"));
    RuntimeException b = new RuntimeException("wrap", new IllegalStateException("value 2"));
    b.getCause().setStackTrace(a.getCause().getStackTrace());
    assertThat(RepeatedErrors.causeOf(a))
        .isEqualTo(RepeatedErrors.causeOf(b))
        .startsWith("java.lang.IllegalStateException@");
  }
}

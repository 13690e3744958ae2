package dev.quma.core.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.junit.jupiter.api.Test;

/**
 * A node id (or any caller-supplied text) with a newline and a fake line in it forges nothing:
 * formatted as the services format their console, it stays one line (issue 15, item 4).
 */
class EscapingLogFilterTest {
  private static final String FORGED =
      "default.redis-1\n2026-01-01T00:00:00.000+0000 ERROR [FAKE] forged line \u001b[31mred\r";
  private final PatternFormatter console =
      new PatternFormatter("%d{yyyy-MM-dd'T'HH:mm:ss.SSSZ} %-5p [%c{2.}] %s%e%n");

  @Test
  void aForgedNodeIdStaysOnItsLine() {
    ExtLogRecord record =
        new ExtLogRecord(
            Level.INFO, "refused the stream of %s: %s", ExtLogRecord.FormatStyle.PRINTF, "test");
    record.setParameters(new Object[] {FORGED, "no dataplane token"});
    record.setLoggerName("dev.quma.xds.server.ProxyStream");

    assertThat(new EscapingLogFilter().isLoggable(record)).isTrue();
    String line = console.format(record);

    assertThat(line.strip()).doesNotContain("\n", "\r", "\u001b");
    assertThat(line)
        .contains(
            "refused the stream of default.redis-1\\n2026-01-01T00:00:00.000+0000 ERROR [FAKE]")
        .contains("\\u001b[31mred\\r: no dataplane token");
  }

  @Test
  void exceptionMessagesAreEscapedAndFramesKept() {
    IllegalStateException cause = new IllegalStateException("bad\nERROR [FAKE] cause");
    RuntimeException error = new RuntimeException("could not admit " + FORGED, cause);
    ExtLogRecord record = new ExtLogRecord(Level.WARNING, "could not admit", "test");
    record.setThrown(error);

    new EscapingLogFilter().isLoggable(record);
    String text = console.format(record);

    assertThat(text.lines()).noneMatch(l -> l.contains("[FAKE]") && !l.contains("\\n"));
    assertThat(text)
        .contains("java.lang.RuntimeException: could not admit default.redis-1\\n")
        .contains("Caused by: java.lang.IllegalStateException: bad\\nERROR [FAKE] cause")
        .contains("at dev.quma.core.logging.EscapingLogFilterTest");
  }

  @Test
  void ordinaryMessagesAreUntouched() {
    ExtLogRecord record =
        new ExtLogRecord(
            Level.INFO, "mesh %s: 50%% done\tok", ExtLogRecord.FormatStyle.PRINTF, "test");
    record.setParameters(new Object[] {"default"});
    new EscapingLogFilter().isLoggable(record);
    assertThat(record.getFormattedMessage()).isEqualTo("mesh default: 50% done\tok");
  }
}

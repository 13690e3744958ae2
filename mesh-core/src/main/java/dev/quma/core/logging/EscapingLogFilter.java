package dev.quma.core.logging;

import io.quarkus.logging.LoggingFilter;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import org.jboss.logmanager.ExtLogRecord;

/**
 * The services' console log filter ({@code quarkus.log.console.filter=quma-escape}): every message,
 * and the messages of a logged exception and its causes, are {@link LogText#escape escaped}, so
 * that no caller-supplied text (a node id with a newline and a fake log line in it, say) can forge
 * a line or send terminal escapes. Stack trace frames are ours and stay as they are.
 */
@LoggingFilter(name = "quma-escape")
public final class EscapingLogFilter implements Filter {
  @Override
  public boolean isLoggable(LogRecord record) {
    if (record instanceof ExtLogRecord ext) {
      String message = ext.getFormattedMessage();
      if (message != null && LogText.needsEscaping(message)) {
        ext.setMessage(LogText.escape(message), ExtLogRecord.FormatStyle.NO_FORMAT);
        ext.setParameters(null);
      }
    }
    Throwable thrown = record.getThrown();
    if (thrown != null && EscapedThrowable.needed(thrown)) {
      record.setThrown(EscapedThrowable.of(thrown));
    }
    return true;
  }
}

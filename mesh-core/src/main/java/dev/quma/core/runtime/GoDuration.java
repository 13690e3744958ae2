package dev.quma.core.runtime;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Durations written the way Kuma's settings are (Go's {@code time.ParseDuration}): a sequence of
 * decimal numbers with a unit, such as {@code 5m}, {@code 72h}, {@code 1h30m}, {@code 1.5h} or
 * {@code 300ms}; units {@code ns}, {@code us} (or {@code µs}), {@code ms}, {@code s}, {@code m},
 * {@code h}. ISO-8601 ({@code PT5M}) is accepted too, as Quarkus users write it.
 */
public final class GoDuration {
  private static final Map<String, Long> NANOS_PER_UNIT =
      Map.of(
          "ns", 1L,
          "us", 1_000L,
          "\u00b5s", 1_000L,
          "\u03bcs", 1_000L,
          "ms", 1_000_000L,
          "s", 1_000_000_000L,
          "m", 60_000_000_000L,
          "h", 3_600_000_000_000L);
  private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);

  private GoDuration() {}

  /** The duration {@code text} names; IllegalArgumentException says what is wrong with it. */
  public static Duration parse(String text) {
    String s = text == null ? "" : text.strip();
    if (s.isEmpty()) {
      throw invalid(text, "it is empty");
    }
    if (s.startsWith("P") || s.startsWith("-P") || s.startsWith("+P")) {
      try {
        return Duration.parse(s);
      } catch (DateTimeParseException e) {
        throw invalid(text, "it is not an ISO-8601 duration either");
      }
    }
    boolean negative = s.startsWith("-");
    if (negative || s.startsWith("+")) {
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return Duration.ZERO;
    }
    if (s.isEmpty()) {
      throw invalid(text, "a sign alone is not a duration");
    }
    BigDecimal total = BigDecimal.ZERO;
    int i = 0;
    while (i < s.length()) {
      int numberStart = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
        i++;
      }
      String number = s.substring(numberStart, i);
      if (number.isEmpty()
          || number.equals(".")
          || number.indexOf('.') != number.lastIndexOf('.')) {
        throw invalid(text, "expected a number at \"" + s.substring(numberStart) + "\"");
      }
      int unitStart = i;
      while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
        i++;
      }
      String unit = s.substring(unitStart, i);
      Long nanos = NANOS_PER_UNIT.get(unit);
      if (nanos == null) {
        throw invalid(
            text,
            unit.isEmpty()
                ? "\"" + number + "\" has no unit (ns, us, ms, s, m, h)"
                : "unknown unit \"" + unit + "\" (ns, us, ms, s, m, h)");
      }
      total = total.add(new BigDecimal(number).multiply(BigDecimal.valueOf(nanos)));
    }
    BigInteger nanos = total.toBigInteger();
    if (nanos.compareTo(MAX_NANOS) > 0) {
      throw invalid(text, "it is longer than about 292 years");
    }
    Duration duration = Duration.ofNanos(nanos.longValueExact());
    return negative ? duration.negated() : duration;
  }

  /** Go-style text for a duration, e.g. {@code 72h}, {@code 1m30s}, {@code 250ms}. */
  public static String format(Duration duration) {
    if (duration.isZero()) {
      return "0s";
    }
    Duration d = duration.abs();
    StringBuilder out = new StringBuilder();
    append(out, d.toHours(), "h");
    append(out, d.toMinutesPart(), "m");
    append(out, d.toSecondsPart(), "s");
    append(out, d.toMillisPart(), "ms");
    append(out, d.toNanosPart() % 1_000_000, "ns");
    return (duration.isNegative() ? "-" : "") + out;
  }

  private static void append(StringBuilder out, long amount, String unit) {
    if (amount > 0) {
      out.append(amount).append(unit);
    }
  }

  private static IllegalArgumentException invalid(String text, String why) {
    return new IllegalArgumentException(
        "invalid duration \"" + text + "\": " + why + " (examples: 90s, 5m, 1h30m, 72h)");
  }
}

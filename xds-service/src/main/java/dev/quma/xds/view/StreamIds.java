package dev.quma.xds.view;

/** Redis stream ids ({@code millis-sequence}), compared numerically. */
final class StreamIds {
  private StreamIds() {}

  static int compare(String a, String b) {
    long[] x = parse(a);
    long[] y = parse(b);
    int byTime = Long.compare(x[0], y[0]);
    return byTime != 0 ? byTime : Long.compare(x[1], y[1]);
  }

  static long millis(String id) {
    return parse(id)[0];
  }

  private static long[] parse(String id) {
    int dash = id.indexOf('-');
    if (dash < 0) {
      return new long[] {Long.parseLong(id), 0};
    }
    return new long[] {
      Long.parseLong(id.substring(0, dash)), Long.parseLong(id.substring(dash + 1))
    };
  }
}

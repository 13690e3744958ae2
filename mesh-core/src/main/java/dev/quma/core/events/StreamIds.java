package dev.quma.core.events;

/** Redis stream entry ids ({@code millis-sequence}), ordered as Redis orders them. */
public final class StreamIds {
  private StreamIds() {}

  /** Orders two ids numerically (an id without a sequence counts as sequence 0). */
  public static int compare(String a, String b) {
    int byTime = Long.compareUnsigned(millis(a), millis(b));
    return byTime != 0 ? byTime : Long.compareUnsigned(sequence(a), sequence(b));
  }

  /** When the entry was added (epoch ms, by the Redis server's clock). */
  public static long millis(String id) {
    int dash = id.indexOf('-');
    return Long.parseUnsignedLong(dash < 0 ? id : id.substring(0, dash));
  }

  private static long sequence(String id) {
    int dash = id.indexOf('-');
    return dash < 0 ? 0 : Long.parseUnsignedLong(id.substring(dash + 1));
  }
}

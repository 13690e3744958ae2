package dev.quma.xds.snapshot;

/**
 * How many arrivals (new endpoints: dataplanes created, proxies connected again) the last second
 * saw, in ten buckets of 100 ms: cheap enough to ask on every change.
 */
final class ArrivalRate {
  private static final int BUCKETS = 10;
  private static final long BUCKET_MILLIS = 100;

  private final int[] counts = new int[BUCKETS];
  private final long[] bucketOf = new long[BUCKETS];

  void record(int arrivals, long nowMillis) {
    if (arrivals <= 0) {
      return;
    }
    long bucket = nowMillis / BUCKET_MILLIS;
    int slot = (int) (bucket % BUCKETS);
    if (bucketOf[slot] != bucket) {
      bucketOf[slot] = bucket;
      counts[slot] = 0;
    }
    counts[slot] += arrivals;
  }

  /** Arrivals in the second up to {@code nowMillis}. */
  int perSecond(long nowMillis) {
    long bucket = nowMillis / BUCKET_MILLIS;
    int total = 0;
    for (int slot = 0; slot < BUCKETS; slot++) {
      if (bucket - bucketOf[slot] < BUCKETS) {
        total += counts[slot];
      }
    }
    return total;
  }
}

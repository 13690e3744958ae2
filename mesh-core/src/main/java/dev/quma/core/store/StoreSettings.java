package dev.quma.core.store;

/**
 * @param keyPrefix prefix of every key, so that several control planes (or tests) can share a Redis
 * @param streamMaxLength approximate length at which each change stream is trimmed
 * @param writeReplicas the replicas a resource write waits for before it is answered
 */
public record StoreSettings(String keyPrefix, long streamMaxLength, WriteReplicas writeReplicas) {
  public static final StoreSettings DEFAULTS = new StoreSettings("quma", 100_000);

  public StoreSettings(String keyPrefix, long streamMaxLength) {
    this(keyPrefix, streamMaxLength, WriteReplicas.NONE);
  }
}

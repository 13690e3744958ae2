package dev.quma.core.store;

/**
 * @param keyPrefix prefix of every key, so that several control planes (or tests) can share a Redis
 * @param streamMaxLength approximate length at which each change stream is trimmed
 */
public record StoreSettings(String keyPrefix, long streamMaxLength) {
  public static final StoreSettings DEFAULTS = new StoreSettings("quma", 100_000);
}

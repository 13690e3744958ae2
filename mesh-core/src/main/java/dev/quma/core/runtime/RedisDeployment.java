package dev.quma.core.runtime;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisRole;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The Redis every service shares, as one setting names it: its URLs ({@code QUMA_REDIS_URL}, one or
 * several, comma-separated) and its shape ({@code QUMA_REDIS_CLIENT_TYPE}: standalone, cluster or
 * sentinel). Quarkus' clients get theirs from the same two properties ({@code quma.redis.url} and
 * {@code quma.redis.client-type}, see the services' application.properties); code that runs before
 * Quarkus, and tools, build their client with {@link #client}.
 */
public record RedisDeployment(List<String> urls, ClientType type, String masterName) {
  public static final String DEFAULT_URL = "redis://127.0.0.1:6379";
  public static final String DEFAULT_MASTER_NAME = "mymaster";

  /**
   * How long a cluster client trusts its slot map, the same as the services' {@code
   * quarkus.redis.topology-cache-ttl}: the client reloads it on a MOVED reply, but not when a node
   * stops answering, so after a failover this is what finds the promoted replica (docs/storage.md,
   * "Failover").
   */
  public static final Duration TOPOLOGY_CACHE_TTL = Duration.ofSeconds(1);

  /** The shapes a Redis deployment takes, named as in Quarkus' {@code client-type}. */
  public enum ClientType {
    STANDALONE,
    CLUSTER,
    SENTINEL;

    public static ClientType parse(String name) {
      try {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "QUMA_REDIS_CLIENT_TYPE must be standalone, cluster or sentinel, not '" + name + "'");
      }
    }

    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public RedisDeployment {
    urls = List.copyOf(urls);
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("QUMA_REDIS_URL names no Redis");
    }
    if (type == ClientType.STANDALONE && urls.size() > 1) {
      throw new IllegalArgumentException(
          "QUMA_REDIS_URL names "
              + urls.size()
              + " Redis hosts but QUMA_REDIS_CLIENT_TYPE is standalone: set it to cluster or"
              + " sentinel");
    }
  }

  /** From the setting's text: comma-separated URLs, and the client type. */
  public static RedisDeployment parse(String urls, String type, String masterName) {
    return new RedisDeployment(
        Arrays.stream(urls.split(",")).map(String::trim).filter(u -> !u.isEmpty()).toList(),
        ClientType.parse(type),
        masterName == null || masterName.isBlank() ? DEFAULT_MASTER_NAME : masterName.trim());
  }

  /**
   * The setting as a process sees it before Quarkus starts: {@code quma.redis.*} as a system
   * property or its environment variable (Quarkus' {@code quarkus.redis.hosts} still counts, for a
   * test or an operator that sets the client directly).
   */
  public static RedisDeployment fromEarlyConfig() {
    return parse(
        EarlyConfig.first(DEFAULT_URL, "quma.redis.url", "quarkus.redis.hosts"),
        EarlyConfig.first("standalone", "quma.redis.client-type", "quarkus.redis.client-type"),
        EarlyConfig.first(DEFAULT_MASTER_NAME, "quma.redis.master-name"));
  }

  public static RedisDeployment standalone(String url) {
    return new RedisDeployment(List.of(url), ClientType.STANDALONE, DEFAULT_MASTER_NAME);
  }

  /** Vert.x options for this deployment (writes go to masters; reads too, for consistency). */
  public RedisOptions options() {
    RedisOptions options =
        new RedisOptions()
            .setType(RedisClientType.valueOf(type.name()))
            .setMasterName(masterName)
            // Both names: the cluster client reads the first, the others the second.
            .setHashSlotCacheTTL(TOPOLOGY_CACHE_TTL.toMillis())
            .setTopologyCacheTTL(TOPOLOGY_CACHE_TTL.toMillis());
    if (type == ClientType.SENTINEL) {
      options.setRole(RedisRole.MASTER);
    }
    urls.forEach(options::addConnectionString);
    return options;
  }

  public Redis client(Vertx vertx) {
    return Redis.createClient(vertx, options());
  }

  /** The URLs as the environment variable carries them. */
  public String urlSetting() {
    return String.join(",", urls);
  }

  /** For log lines and error messages: the URLs without their credentials. */
  public String describe() {
    return type.configName() + " " + UrlCredentials.redact(urlSetting());
  }
}

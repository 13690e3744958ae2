package dev.quma.launcher;

import java.nio.file.Path;
import java.util.Map;

/**
 * The launcher's command line: {@code --redis-url}, {@code --database-url}, {@code --home}, {@code
 * --demo}, {@code --help}.
 */
public record LauncherOptions(
    String redisUrl,
    String redisClientType,
    String databaseUrl,
    Path home,
    Path javaHome,
    boolean demo,
    boolean help) {

  static final String USAGE =
      """
      usage: bin/run [--redis-url redis://host:6379] [--redis-client-type standalone]
                     [--database-url postgresql://host:5432/quma] [--demo] [--rebuild]

        --redis-url URL     use this Redis (also QUMA_REDIS_URL); without it a local Redis is
                            started, keeping its data in .quma/redis. Several comma-separated
                            URLs name a cluster's nodes or the sentinels
        --redis-client-type TYPE
                            standalone (default), cluster or sentinel (also
                            QUMA_REDIS_CLIENT_TYPE)
        --database-url URL  the token-service's PostgreSQL (also QUMA_DATABASE_URL; user and
                            password from QUMA_DATABASE_USERNAME / QUMA_DATABASE_PASSWORD); without
                            it a local PostgreSQL is started, keeping its data in .quma/postgres
        --demo              once everything is ready, run Kuma's Universal walkthrough: tokens for
                            redis-1 and backend-1, both join through bin/dp-agent (Envoy played
                            by bin/envoy-standin), the API shows them Online, backend-1 leaves
                            and the API shows it gone; redis-1 stays connected
        --rebuild           build even when the jars are newer than the sources (also
                            QUMA_REBUILD=1); bin/run handles it before the launcher starts
        --home DIR          the checkout whose services to run (default: current directory)
        --help              this text
      """;

  private static final java.util.Set<String> CLIENT_TYPES =
      java.util.Set.of("standalone", "cluster", "sentinel");

  static LauncherOptions parse(String[] args, Map<String, String> env) {
    String redisUrl = blankToNull(env.get("QUMA_REDIS_URL"));
    String redisClientType = blankToNull(env.get("QUMA_REDIS_CLIENT_TYPE"));
    String databaseUrl = blankToNull(env.get("QUMA_DATABASE_URL"));
    Path home = Path.of(env.getOrDefault("QUMA_HOME", ".")).toAbsolutePath().normalize();
    boolean help = false;
    boolean demo = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--redis-url" -> redisUrl = value(args, ++i, "--redis-url");
        case "--redis-client-type" -> redisClientType = value(args, ++i, "--redis-client-type");
        case "--database-url" -> databaseUrl = value(args, ++i, "--database-url");
        case "--home" -> home = Path.of(value(args, ++i, "--home")).toAbsolutePath().normalize();
        case "--demo" -> demo = true;
        case "--help", "-h" -> help = true;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (redisUrl != null) {
      for (String url : redisUrl.split(",")) {
        if (!url.strip().startsWith("redis://") && !url.strip().startsWith("rediss://")) {
          throw new IllegalArgumentException(
              "--redis-url must start with redis:// or rediss://, got " + url.strip());
        }
      }
    }
    if (redisClientType != null && !CLIENT_TYPES.contains(redisClientType)) {
      throw new IllegalArgumentException(
          "--redis-client-type must be standalone, cluster or sentinel, got " + redisClientType);
    }
    if (redisUrl == null && redisClientType != null && !redisClientType.equals("standalone")) {
      throw new IllegalArgumentException(
          "--redis-client-type "
              + redisClientType
              + " needs --redis-url (the local Redis is one node)");
    }
    if (databaseUrl != null && !databaseUrl.startsWith("postgresql://")) {
      throw new IllegalArgumentException(
          "--database-url must start with postgresql://, got " + databaseUrl);
    }
    return new LauncherOptions(
        redisUrl,
        redisClientType,
        databaseUrl,
        home,
        Path.of(System.getProperty("java.home")),
        demo,
        help);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}

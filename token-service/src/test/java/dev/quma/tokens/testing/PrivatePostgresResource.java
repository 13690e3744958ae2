package dev.quma.tokens.testing;

import dev.quma.local.LocalPostgres;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import java.util.UUID;

/**
 * A database of the test run's own: created on the machine's PostgreSQL (127.0.0.1:5432, user
 * postgres, trust auth) under a unique name and dropped afterwards, so nothing else there is
 * touched; where no PostgreSQL answers, a throw-away local one is started instead.
 */
public class PrivatePostgresResource implements QuarkusTestResourceLifecycleManager {
  private static final String HOST = "127.0.0.1";
  private static final int PORT = 5432;

  private final String database =
      "quma_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  private LocalPostgres local;
  private int port;

  @Override
  public Map<String, String> start() {
    if (LocalPostgres.answers(HOST, PORT)) {
      port = PORT;
    } else {
      local = LocalPostgres.startEphemeral();
      port = local.port();
    }
    LocalPostgres.createDatabaseIfAbsent(HOST, port, database);
    return Map.of(
        "quarkus.datasource.reactive.url",
        "postgresql://" + HOST + ":" + port + "/" + database,
        "quarkus.datasource.username",
        "postgres");
  }

  @Override
  public void stop() {
    try {
      LocalPostgres.dropDatabase(HOST, port, database);
    } finally {
      if (local != null) {
        local.close();
      }
    }
  }
}

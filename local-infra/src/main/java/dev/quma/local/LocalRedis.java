package dev.quma.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} child process on loopback, for the local launcher and for tests that need
 * a keyspace of their own. Persistence is off unless a data directory is given.
 */
public final class LocalRedis implements AutoCloseable {

  private final Process process;
  private final int port;

  private LocalRedis(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts a throw-away Redis (no persistence) on a free port. */
  public static LocalRedis startEphemeral() {
    return start(freePort(), null);
  }

  /**
   * Starts Redis on {@code port}. With a {@code dataDir}, it keeps an append-only file there so
   * that a laptop's control plane survives restarts.
   */
  public static LocalRedis start(int port, Path dataDir) {
    Path binary = RedisBinary.locate();
    List<String> command =
        new ArrayList<>(
            List.of(
                binary.toString(),
                "--bind",
                "127.0.0.1",
                "--port",
                String.valueOf(port),
                "--save",
                "",
                "--protected-mode",
                "yes"));
    if (dataDir != null) {
      try {
        Files.createDirectories(dataDir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      command.addAll(List.of("--dir", dataDir.toAbsolutePath().toString(), "--appendonly", "yes"));
    } else {
      command.addAll(List.of("--appendonly", "no"));
    }
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      LocalRedis redis = new LocalRedis(process, port);
      redis.awaitReady(Duration.ofSeconds(15));
      return redis;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + binary, e);
    }
  }

  public int port() {
    return port;
  }

  /** The redis-server's process id (benchmarks read its CPU time). */
  public long pid() {
    return process.pid();
  }

  /** A URL for Quarkus' {@code quarkus.redis.hosts}. */
  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** True when something on {@code host:port} answers PING with PONG. */
  public static boolean answersPing(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 500);
      socket.setSoTimeout(1000);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] buf = new byte[7];
      int n = in.readNBytes(buf, 0, 7);
      return n == 7 && new String(buf, StandardCharsets.US_ASCII).equals("+PONG\r\n");
    } catch (IOException e) {
      return false;
    }
  }

  private void awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "redis-server exited with "
                + process.exitValue()
                + " before it answered on port "
                + port);
      }
      if (answersPing("127.0.0.1", port)) {
        return;
      }
      sleep(20);
    }
    close();
    throw new IllegalStateException(
        "redis-server did not answer on port " + port + " within " + timeout);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for redis-server", e);
    }
  }
}

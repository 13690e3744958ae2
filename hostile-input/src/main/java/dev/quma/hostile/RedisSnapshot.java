package dev.quma.hostile;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Every key of a Redis and a digest of its value ({@code DUMP}, whatever the type), read over a
 * plain RESP connection: what a refused request must leave exactly as it was. Keys that change by
 * themselves (leases, counters a timer reconciles) are left out by the caller's filter.
 */
public final class RedisSnapshot implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final Predicate<String> compared;

  public RedisSnapshot(String host, int port, Predicate<String> compared) throws IOException {
    this.socket = new Socket(host, port);
    socket.setSoTimeout(10_000);
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
    this.compared = compared;
  }

  /** Key to SHA-256 of its DUMP, sorted by key. */
  public synchronized Map<String, String> take() throws IOException {
    List<String> keys = new ArrayList<>();
    String cursor = "0";
    do {
      send("SCAN", cursor, "COUNT", "1000");
      List<?> reply = (List<?>) read();
      cursor = new String((byte[]) reply.get(0), StandardCharsets.UTF_8);
      for (Object key : (List<?>) reply.get(1)) {
        String name = new String((byte[]) key, StandardCharsets.UTF_8);
        if (compared.test(name)) {
          keys.add(name);
        }
      }
    } while (!cursor.equals("0"));
    for (String key : keys) {
      send("DUMP", key);
    }
    Map<String, String> snapshot = new TreeMap<>();
    for (String key : keys) {
      Object value = read();
      if (value instanceof byte[] dump) {
        snapshot.put(key, digest(dump));
      }
    }
    return snapshot;
  }

  /** What differs between two snapshots: keys added, removed or changed. */
  public static List<String> differences(Map<String, String> before, Map<String, String> after) {
    List<String> out = new ArrayList<>();
    before.forEach(
        (key, digest) -> {
          if (!after.containsKey(key)) {
            out.add("removed " + key);
          } else if (!after.get(key).equals(digest)) {
            out.add("changed " + key);
          }
        });
    after.keySet().stream().filter(k -> !before.containsKey(k)).forEach(k -> out.add("added " + k));
    return out;
  }

  private void send(String... args) throws IOException {
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.write(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
    for (String arg : args) {
      byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
      request.write(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
      request.write(bytes);
      request.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.write(request.toByteArray());
    out.flush();
  }

  private Object read() throws IOException {
    int type = in.read();
    String line = line();
    return switch (type) {
      case '+', ':' -> line;
      case '-' -> throw new IOException("Redis: " + line);
      case '$' -> {
        int length = Integer.parseInt(line);
        if (length < 0) {
          yield null;
        }
        byte[] bytes = in.readNBytes(length);
        line();
        yield bytes;
      }
      case '*' -> {
        int count = Integer.parseInt(line);
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
          items.add(read());
        }
        yield items;
      }
      default -> throw new IOException("unexpected RESP type " + type);
    };
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\r') {
      if (b < 0) {
        throw new IOException("Redis closed the connection");
      }
      line.write(b);
    }
    in.read();
    return line.toString(StandardCharsets.UTF_8);
  }

  private static String digest(byte[] value) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}

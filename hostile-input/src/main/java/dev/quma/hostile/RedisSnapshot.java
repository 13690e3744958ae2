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
 * Every key of a Redis and a digest of its type and content, read over a plain RESP connection:
 * what a refused request must leave exactly as it was. Keys that change by themselves (leases,
 * counters a timer reconciles) are left out by the caller's filter.
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

  /** Key to SHA-256 of its type and content, sorted by key. */
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
      send("TYPE", key);
    }
    List<String> types = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      types.add(String.valueOf(read()));
    }
    for (int i = 0; i < keys.size(); i++) {
      sendContent(types.get(i), keys.get(i));
    }
    Map<String, String> snapshot = new TreeMap<>();
    for (int i = 0; i < keys.size(); i++) {
      Object content = read();
      if (!types.get(i).equals("none")) {
        snapshot.put(keys.get(i), digest(types.get(i), content));
      }
    }
    return snapshot;
  }

  /**
   * The content of a key, in an order that does not depend on how Redis lays it out: DUMP would not
   * do, since a hash or set in a hash table serialises in the table's order, which a read's
   * incremental rehashing changes without any change of content.
   */
  private void sendContent(String type, String key) throws IOException {
    switch (type) {
      case "string" -> send("GET", key);
      case "hash" -> send("HGETALL", key);
      case "set" -> send("SMEMBERS", key);
      case "zset" -> send("ZRANGE", key, "0", "-1", "WITHSCORES");
      case "list" -> send("LRANGE", key, "0", "-1");
      // A stream only grows: its length and last entry tell whether anything was added.
      case "stream" -> send("XREVRANGE", key, "+", "-", "COUNT", "1");
      default -> send("TYPE", key);
    }
  }

  private static String digest(String type, Object content) {
    List<byte[]> parts = new ArrayList<>();
    flatten(content, parts);
    if (type.equals("hash")) {
      // field, value pairs: sorted by field
      List<byte[]> pairs = new ArrayList<>();
      List<String> order = new ArrayList<>();
      for (int i = 0; i + 1 < parts.size(); i += 2) {
        order.add(
            HexFormat.of().formatHex(parts.get(i))
                + ":"
                + HexFormat.of().formatHex(parts.get(i + 1)));
      }
      order.sort(null);
      order.forEach(pair -> pairs.add(pair.getBytes(StandardCharsets.US_ASCII)));
      parts = pairs;
    } else if (type.equals("set")) {
      parts.sort(java.util.Arrays::compare);
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(type.getBytes(StandardCharsets.US_ASCII));
      for (byte[] part : parts) {
        sha.update(Integer.toString(part.length).getBytes(StandardCharsets.US_ASCII));
        sha.update((byte) ':');
        sha.update(part);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void flatten(Object content, List<byte[]> out) {
    if (content instanceof List<?> items) {
      items.forEach(item -> flatten(item, out));
    } else if (content instanceof byte[] bytes) {
      out.add(bytes);
    } else if (content != null) {
      out.add(content.toString().getBytes(StandardCharsets.UTF_8));
    }
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

  @Override
  public void close() throws IOException {
    socket.close();
  }
}

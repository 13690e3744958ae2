package dev.quma.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Redis Cluster of {@code redis-server} child processes on loopback, on free ports, made by
 * {@code redis-cli --cluster create}: for the tests and benchmarks that must run on a sharded (and
 * optionally replicated) Redis. No persistence; each node keeps its {@code nodes.conf} in a
 * temporary directory removed on {@link #close}.
 */
public final class LocalRedisCluster implements AutoCloseable {
  /** One node: its port and process (null once killed). */
  public static final class Node {
    private final int port;
    private final int busPort;
    private volatile Process process;

    Node(int port, int busPort, Process process) {
      this.port = port;
      this.busPort = busPort;
      this.process = process;
    }

    public int port() {
      return port;
    }

    public String url() {
      return "redis://127.0.0.1:" + port;
    }

    public boolean alive() {
      Process p = process;
      return p != null && p.isAlive();
    }
  }

  private final Path dir;
  private final List<Node> nodes;

  private LocalRedisCluster(Path dir, List<Node> nodes) {
    this.dir = dir;
    this.nodes = nodes;
  }

  /** Three masters, no replicas: the shape the suite runs its cluster variants on. */
  public static LocalRedisCluster startThreeMasters() {
    return start(3, 0);
  }

  /**
   * Starts {@code masters * (1 + replicasPerMaster)} nodes, joins them into a cluster with every
   * slot assigned, and returns once every node reports {@code cluster_state:ok}.
   */
  public static LocalRedisCluster start(int masters, int replicasPerMaster) {
    Path binary = RedisBinary.locate();
    Path cli = binary.resolveSibling("redis-cli");
    if (!Files.isExecutable(cli)) {
      throw new IllegalStateException("no redis-cli beside " + binary + " to create a cluster");
    }
    Path dir;
    try {
      dir = Files.createTempDirectory("quma-redis-cluster");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Node> nodes = new ArrayList<>();
    LocalRedisCluster cluster = new LocalRedisCluster(dir, nodes);
    try {
      int count = masters * (1 + replicasPerMaster);
      for (int i = 0; i < count; i++) {
        nodes.add(startNode(binary, dir, LocalRedis.freePort(), LocalRedis.freePort()));
      }
      List<String> create = new ArrayList<>(List.of(cli.toString(), "--cluster", "create"));
      nodes.forEach(n -> create.add("127.0.0.1:" + n.port));
      create.addAll(
          List.of("--cluster-replicas", String.valueOf(replicasPerMaster), "--cluster-yes"));
      Process process =
          new ProcessBuilder(create)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("create.log").toFile())
              .start();
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(
            "redis-cli --cluster create failed: " + Files.readString(dir.resolve("create.log")));
      }
      cluster.awaitState(Duration.ofSeconds(30));
      return cluster;
    } catch (IOException e) {
      cluster.close();
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cluster.close();
      throw new IllegalStateException(e);
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  private static Node startNode(Path binary, Path dir, int port, int busPort) throws IOException {
    Path nodeDir = Files.createDirectories(dir.resolve(String.valueOf(port)));
    List<String> command =
        List.of(
            binary.toString(),
            "--bind",
            "127.0.0.1",
            "--port",
            String.valueOf(port),
            "--cluster-enabled",
            "yes",
            "--cluster-port",
            String.valueOf(busPort),
            "--cluster-config-file",
            nodeDir.resolve("nodes.conf").toString(),
            "--cluster-node-timeout",
            "2000",
            "--dir",
            nodeDir.toString(),
            "--save",
            "",
            "--appendonly",
            "no",
            "--protected-mode",
            "yes");
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(nodeDir.resolve("redis.log").toFile())
            .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!LocalRedis.answersPing("127.0.0.1", port)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IllegalStateException(
            "redis-server (cluster node) did not answer on port "
                + port
                + ": "
                + Files.readString(nodeDir.resolve("redis.log")));
      }
      sleep(20);
    }
    return new Node(port, busPort, process);
  }

  /** Every node, masters first as created (replicas may be promoted later). */
  public List<Node> nodes() {
    return List.copyOf(nodes);
  }

  /** The nodes' URLs, comma-separated: a {@code QUMA_REDIS_URL} naming the cluster. */
  public String urlSetting() {
    return String.join(",", nodes.stream().filter(Node::alive).map(Node::url).toList());
  }

  /** The nodes that are masters now, as the first live node sees it. */
  public List<Node> masters() {
    Node seen = nodes.stream().filter(Node::alive).findFirst().orElseThrow();
    List<Node> masters = new ArrayList<>();
    for (Master master : mastersSeenBy(seen.port)) {
      nodes.stream().filter(n -> n.port == master.port()).findFirst().ifPresent(masters::add);
    }
    return masters;
  }

  /** The node that serves {@code key}'s slot now. */
  public Node masterOf(String key) {
    Node seen = nodes.stream().filter(Node::alive).findFirst().orElseThrow();
    int port = masterPortOf(seen.port, key);
    return nodes.stream().filter(n -> n.port == port).findFirst().orElseThrow();
  }

  /** A master as {@code CLUSTER NODES} lists it: its port and its slot ranges. */
  private record Master(int port, List<long[]> slots) {
    boolean serves(long slot) {
      return slots.stream().anyMatch(range -> slot >= range[0] && slot <= range[1]);
    }
  }

  /** The masters (not failed) that the node on {@code port} knows. */
  private static List<Master> mastersSeenBy(int port) {
    List<Master> masters = new ArrayList<>();
    for (String line : command(port, "CLUSTER", "NODES").split("\n")) {
      String[] fields = line.trim().split(" ");
      if (fields.length < 8 || !fields[2].contains("master") || fields[2].contains("fail")) {
        continue;
      }
      List<long[]> slots = new ArrayList<>();
      for (int i = 8; i < fields.length; i++) {
        if (fields[i].startsWith("[")) {
          continue; // a slot being migrated
        }
        String[] range = fields[i].split("-");
        long from = Long.parseLong(range[0]);
        slots.add(new long[] {from, range.length > 1 ? Long.parseLong(range[1]) : from});
      }
      masters.add(new Master(Integer.parseInt(fields[1].replaceAll(".*:(\\d+)@.*", "$1")), slots));
    }
    return masters;
  }

  private static int masterPortOf(int anyPort, String key) {
    long slot = Long.parseLong(command(anyPort, "CLUSTER", "KEYSLOT", key).trim());
    return mastersSeenBy(anyPort).stream()
        .filter(m -> m.serves(slot))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no master serves slot " + slot))
        .port();
  }

  /**
   * Empties every master of the cluster that the node on {@code anyPort} belongs to, except for
   * {@code keep}, whose master empties itself around it in one script (so that no reader sees the
   * key missing): a test's reset of a store that must keep its identity.
   */
  public static void flushAllKeeping(int anyPort, String keep) {
    int keeper = masterPortOf(anyPort, keep);
    for (Master master : mastersSeenBy(anyPort)) {
      if (master.port() == keeper) {
        command(
            keeper,
            "EVAL",
            "local v = redis.call('GET', KEYS[1]) redis.call('FLUSHALL')"
                + " if v then redis.call('SET', KEYS[1], v) end return 1",
            "1",
            keep);
      } else {
        command(master.port(), "FLUSHALL");
      }
    }
  }

  /**
   * Closes a master's connections to its replicas ({@code CLIENT KILL TYPE replica}): they
   * reconnect within about a second, and miss what the master takes meanwhile until they have
   * caught up: a replica lagging behind, as over a bad network.
   */
  public void cutReplicationLinks(Node master) {
    command(master.port, "CLIENT", "KILL", "TYPE", "replica");
  }

  /** Kills a node at once (SIGKILL): no goodbye to its clients or its peers. */
  public void kill(Node node) {
    Process p = node.process;
    if (p != null) {
      p.destroyForcibly();
      try {
        p.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Three masters with one replica each: the shape a failover runs on (a killed master's replica is
   * promoted by the cluster itself, within about twice {@code cluster-node-timeout}: 2 s here).
   */
  public static LocalRedisCluster startThreeMastersWithReplicas() {
    LocalRedisCluster cluster = start(3, 1);
    cluster.awaitReplicasInSync(Duration.ofSeconds(30));
    return cluster;
  }

  /** Waits until every replica has finished its first full sync from its master. */
  public void awaitReplicasInSync(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      boolean synced = true;
      for (Node node : nodes) {
        if (!node.alive()) {
          continue;
        }
        String replication = command(node.port, "INFO", "replication");
        if (replication.contains("role:slave") && !replication.contains("master_link_status:up")) {
          synced = false;
        }
      }
      if (synced) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the Redis Cluster's replicas did not sync in time");
      }
      sleep(100);
    }
  }

  /**
   * Waits until a live node serves, as a master, every slot that {@code killed} served, and every
   * live node reports {@code cluster_state:ok}: the cluster failed over. Answers the new master.
   */
  public Node awaitPromotionAfter(Node killed, long slotOfKilled, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Node seen = nodes.stream().filter(Node::alive).findFirst().orElseThrow();
      Node promoted = null;
      for (Master master : mastersSeenBy(seen.port)) {
        if (master.port() != killed.port && master.serves(slotOfKilled)) {
          promoted = nodes.stream().filter(n -> n.port == master.port()).findFirst().orElse(null);
        }
      }
      boolean ok =
          promoted != null
              && nodes.stream()
                  .filter(Node::alive)
                  .allMatch(n -> command(n.port, "CLUSTER", "INFO").contains("cluster_state:ok"));
      if (ok) {
        return promoted;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no replica took over from " + killed.url() + " in time");
      }
      sleep(50);
    }
  }

  /** The hash slot of {@code key}, as the cluster computes it. */
  public long slotOf(String key) {
    Node seen = nodes.stream().filter(Node::alive).findFirst().orElseThrow();
    return Long.parseLong(command(seen.port, "CLUSTER", "KEYSLOT", key).trim());
  }

  /**
   * Starts a killed node again on its port, with its {@code nodes.conf} (its data is gone: no
   * persistence): a master that was failed over rejoins as a replica of the node that took its
   * place, as a supervisor's restart would have it.
   */
  public void restart(Node node) {
    if (node.alive()) {
      return;
    }
    Path binary = RedisBinary.locate();
    try {
      Node started = startNode(binary, dir, node.port, node.busPort);
      node.process = started.process;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until every live node reports {@code cluster_state:ok}. */
  public void awaitState(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      boolean ok =
          nodes.stream()
              .filter(Node::alive)
              .allMatch(n -> command(n.port, "CLUSTER", "INFO").contains("cluster_state:ok"));
      if (ok) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the Redis Cluster did not reach cluster_state:ok");
      }
      sleep(100);
    }
  }

  /**
   * Sends one command to one node and answers the reply's text (a bulk or simple string; an error
   * as its message), or "" when the node does not answer.
   */
  public static String command(int port, String... args) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      socket.setSoTimeout(2000);
      StringBuilder request = new StringBuilder("*" + args.length + "\r\n");
      for (String arg : args) {
        request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
        request.append(arg).append("\r\n");
      }
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      String first = readLine(in);
      return switch (first.isEmpty() ? ' ' : first.charAt(0)) {
        case '$' -> {
          int length = Integer.parseInt(first.substring(1));
          yield length < 0 ? "" : new String(in.readNBytes(length + 2), StandardCharsets.UTF_8);
        }
        case ':', '+', '-' -> first.substring(1);
        default -> first;
      };
    } catch (IOException e) {
      return "";
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != -1 && c != '\n') {
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }

  @Override
  public void close() {
    nodes.forEach(this::kill);
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the Redis Cluster", e);
    }
  }
}

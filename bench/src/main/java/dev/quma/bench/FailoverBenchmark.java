package dev.quma.bench;

import dev.quma.core.events.FollowedNames;
import dev.quma.core.runtime.RedisDeployment;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.StoreSettings;
import dev.quma.launcher.ServiceProcess;
import dev.quma.launcher.ServiceSpec;
import dev.quma.local.FailoverDrill;
import dev.quma.local.LocalRedis;
import dev.quma.local.LocalRedisCluster;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Redis Cluster master failover under api-service writes: three masters and three replicas (local
 * redis-server processes on free ports), one api-service process on the cluster, writers creating
 * dataplanes over HTTP in one mesh per master, and a change follower (mesh-core's, in this process)
 * following those meshes. The first mesh's master is killed; the drill ({@link FailoverDrill})
 * counts acknowledged writes lost and times the recovery. Runs with {@code
 * quma.store.write-replicas} 0 and 1, {@code --runs} times each (fresh cluster and service each
 * time), and reports medians.
 */
public final class FailoverBenchmark {
  private static final int WRITERS = 16;
  private static final Duration BEFORE = Duration.ofSeconds(3);
  private static final Duration AFTER = Duration.ofSeconds(3);
  private static final Duration GIVE_UP = Duration.ofSeconds(60);
  private static final Duration LAG = Duration.ofMillis(300);

  public static void main(String[] args) throws Exception {
    int runs = BenchSupport.intArg(args, "--runs", 3);
    Path home = Path.of(System.getProperty("quma.home", ".")).toAbsolutePath().normalize();
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("benchmark", "failover");
    report.put("when", Instant.now().toString());
    report.put("machine", BenchSupport.machine());
    report.put(
        "setup",
        "3 masters + 3 replicas (cluster-node-timeout 2000 ms), one api-service, "
            + WRITERS
            + " writers creating dataplanes over HTTP in one mesh per master, SIGKILL of the first"
            + " mesh's master after "
            + BEFORE.toSeconds()
            + " s, the killed node started again once its replica took over. clean_kill: the"
            + " replica was in step; lagging_replica: the master's replication link was kept cut"
            + " (CLIENT KILL TYPE replica every 5 ms) for the "
            + LAG.toMillis()
            + " ms up to the kill");
    // --lagging-only: the lagging-replica cases alone (where write-replicas makes a difference).
    boolean laggingOnly = List.of(args).contains("--lagging-only");
    for (boolean lagging : laggingOnly ? List.of(true) : List.of(false, true)) {
      FailoverDrill.Plan plan =
          new FailoverDrill.Plan(
              WRITERS, BEFORE, AFTER, GIVE_UP, true, lagging ? LAG : Duration.ZERO);
      for (int replicas : List.of(0, 1)) {
        String name = (lagging ? "lagging_replica" : "clean_kill") + "_write_replicas_" + replicas;
        List<Map<String, Object>> results = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
          FailoverDrill.Result result = runOnce(home, replicas, plan);
          System.out.printf("%s run %d: %s%n", name, run, result.asMap());
          results.add(result.asMap());
        }
        Map<String, Object> mode = new LinkedHashMap<>();
        mode.put("runs", results);
        mode.put("median", medians(results));
        report.put(name, mode);
        System.out.printf("%s medians: %s%n", name, mode.get("median"));
      }
    }
    BenchSupport.writeResults(home.resolve("bench/results"), "failover", report);
  }

  private static FailoverDrill.Result runOnce(Path home, int writeReplicas, FailoverDrill.Plan plan)
      throws Exception {
    try (LocalRedisCluster cluster = LocalRedisCluster.startThreeMastersWithReplicas()) {
      int port = LocalRedis.freePort();
      ServiceSpec api = BenchSupport.apiService(home, port, Map.of());
      Map<String, String> env =
          Map.of(
              "QUMA_REDIS_URL", cluster.urlSetting(),
              "QUMA_REDIS_CLIENT_TYPE", "cluster",
              "QUMA_STORE_WRITE_REPLICAS", String.valueOf(writeReplicas));
      Vertx vertx = Vertx.vertx();
      Redis redis = RedisDeployment.parse(cluster.urlSetting(), "cluster", null).client(vertx);
      FollowedNames follower = null;
      try (ServiceProcess service =
          ServiceProcess.start(
              api, Path.of(System.getProperty("java.home")), env, List.of("-Xmx512m"), null)) {
        service.awaitReady(Duration.ofSeconds(90));
        HttpApi http = new HttpApi("http://127.0.0.1:" + port);
        List<String> meshes = FailoverDrill.oneMeshPerMaster(cluster, "failover");
        for (String mesh : meshes) {
          http.putOrFail("/meshes/" + mesh, "{\"type\":\"Mesh\",\"name\":\"" + mesh + "\"}");
        }
        ResourceStore store = new ResourceStore(redis, StoreSettings.DEFAULTS);
        follower =
            new FollowedNames(redis, store, Duration.ofMillis(200))
                .start(meshes, Duration.ofSeconds(10));
        return new FailoverDrill(cluster, meshes, new ApiTarget(http, follower)).run(plan);
      } finally {
        if (follower != null) {
          follower.stop();
        }
        redis.close();
        vertx.closeAndAwait();
      }
    }
  }

  private static Map<String, Object> medians(List<Map<String, Object>> runs) {
    Map<String, Object> medians = new LinkedHashMap<>();
    for (String key : runs.get(0).keySet()) {
      if (runs.get(0).get(key) instanceof Number) {
        double[] values =
            runs.stream().mapToDouble(r -> ((Number) r.get(key)).doubleValue()).toArray();
        medians.put(key, BenchSupport.median(values));
      }
    }
    medians.put(
        "recovered_runs",
        runs.stream().filter(r -> Boolean.TRUE.equals(r.get("recovered"))).count());
    return medians;
  }

  /** The drill's writes, as api-service's clients make them. */
  private record ApiTarget(HttpApi http, FollowedNames follower) implements FailoverDrill.Target {
    @Override
    public void write(String mesh, String name) {
      String json =
          """
          {"type":"Dataplane","mesh":"%s","name":"%s","networking":{"address":"10.0.0.1",
           "inbound":[{"port":8000,"servicePort":80,"tags":{"kuma.io/service":"web"}}]}}
          """
              .formatted(mesh, name);
      HttpApi.Answer answer = http.put("/meshes/" + mesh + "/dataplanes/" + name, json);
      if (answer.status() != 200 && answer.status() != 201) {
        throw new IllegalStateException("PUT answered " + answer);
      }
    }

    @Override
    public boolean exists(String mesh, String name) {
      int status = http.get("/meshes/" + mesh + "/dataplanes/" + name).status();
      if (status != 200 && status != 404) {
        throw new IllegalStateException("GET of " + mesh + "/" + name + " answered " + status);
      }
      return status == 200;
    }

    @Override
    public boolean followed(String mesh, String name) {
      return follower.has(mesh, name);
    }
  }

  /** Plain requests to api-service (no answer at all is status 0, with the reason as body). */
  private record HttpApi(String base, HttpClient client) {
    record Answer(int status, String body) {}

    HttpApi(String base) {
      this(
          base,
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(5))
              .build());
    }

    Answer put(String path, String json) {
      return send(
          HttpRequest.newBuilder(URI.create(base + path))
              .timeout(Duration.ofSeconds(10))
              .header("Content-Type", "application/json")
              .PUT(HttpRequest.BodyPublishers.ofString(json))
              .build());
    }

    Answer get(String path) {
      return send(
          HttpRequest.newBuilder(URI.create(base + path))
              .timeout(Duration.ofSeconds(10))
              .GET()
              .build());
    }

    void putOrFail(String path, String json) {
      Answer answer = put(path, json);
      if (answer.status() >= 300) {
        throw new IllegalStateException("PUT " + path + " answered " + answer);
      }
    }

    private Answer send(HttpRequest request) {
      try {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
      } catch (java.io.IOException e) {
        return new Answer(0, e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Answer(0, "interrupted");
      }
    }
  }
}

package dev.quma.xds;

import dev.quma.xds.config.XdsConfig;
import dev.quma.xds.snapshot.ProxySnapshots;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Benchmark hooks, only when {@code quma.xds.debug-endpoints} is on: a full recompute of every
 * snapshot (what a control plane without incremental updates does on each change) with its CPU
 * time, and the heap in use after a collection.
 */
@ApplicationScoped
public class DebugRoutes {
  private final ProxySnapshots snapshots;
  private final XdsConfig config;

  public DebugRoutes(ProxySnapshots snapshots, XdsConfig config) {
    this.snapshots = snapshots;
    this.config = config;
  }

  void routes(@Observes Router router) {
    if (!config.debugEndpoints()) {
      return;
    }
    router
        .post("/debug/recompute-all")
        .blockingHandler(
            ctx -> {
              long wallStart = System.nanoTime();
              long cpu = snapshots.recomputeAll();
              JsonObject body =
                  new JsonObject()
                      .put("proxies", snapshots.connected())
                      .put("cpuNanos", cpu)
                      .put("wallNanos", System.nanoTime() - wallStart);
              ctx.response().putHeader("Content-Type", "application/json").end(body.encode());
            });
    router
        .get("/debug/heap")
        .blockingHandler(
            ctx -> {
              for (int i = 0; i < 3; i++) {
                System.gc();
              }
              Runtime runtime = Runtime.getRuntime();
              JsonObject body =
                  new JsonObject()
                      .put("usedBytes", runtime.totalMemory() - runtime.freeMemory())
                      .put("proxies", snapshots.connected())
                      .put("distinctResources", snapshots.distinctResources());
              ctx.response().putHeader("Content-Type", "application/json").end(body.encode());
            });
  }
}

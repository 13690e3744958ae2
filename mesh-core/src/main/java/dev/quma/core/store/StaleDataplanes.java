package dev.quma.core.store;

import dev.quma.core.lease.Fence;
import dev.quma.core.model.ResourceType;
import dev.quma.core.stats.MeshStatsStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The lifecycle cleanup's delete: a dataplane goes only if it is still offline (not in the online
 * set), was last heard from at or before the cutoff, is still at the version the sweeper read, and
 * the sweeper's fence is not older than the newest token that swept the mesh. Each check-and-delete
 * is atomic ({@code stale-guard.lua} in front of the store's own {@code delete.lua}), so it deletes
 * exactly as {@link ResourceStore#delete} does: indexes, insight, heartbeats, counters, change
 * event.
 */
public final class StaleDataplanes {
  private static final LuaScript DELETE_IF_STALE =
      LuaScript.load(
          ResourceStore.class, MeshStatsStore.LUA_LIBRARY, "stale-guard.lua", "delete.lua");

  private final ResourceStore store;

  public StaleDataplanes(ResourceStore store) {
    this.store = store;
  }

  /** Deletes those of {@code candidates} still stale, in one round trip; answers in their order. */
  public Uni<List<StaleDeleteOutcome>> deleteIfStale(
      String mesh, List<StaleDataplane> candidates, Instant lastSeenCutoff, Fence fence) {
    List<LuaScript.Call> calls = new ArrayList<>(candidates.size());
    for (StaleDataplane candidate : candidates) {
      calls.add(
          store
              .deleteCall(
                  ResourceType.DATAPLANE,
                  mesh,
                  candidate.name(),
                  String.valueOf(candidate.version()))
              .key("fence", store.keys().fence(mesh, fence.lease()))
              .arg("cutoff", lastSeenCutoff.toEpochMilli())
              .arg("token", fence.token())
              .arg("fenceExpiry", Fence.MEMORY.toMillis()));
    }
    return DELETE_IF_STALE
        .runAll(store.redis(), calls)
        .map(
            replies -> {
              List<StaleDeleteOutcome> outcomes = new ArrayList<>(replies.size());
              for (Response reply : replies) {
                outcomes.add(
                    switch (reply.get(0).toString()) {
                      case "deleted" -> StaleDeleteOutcome.DELETED;
                      case "online" -> StaleDeleteOutcome.ONLINE;
                      case "seen_recently" -> StaleDeleteOutcome.SEEN_RECENTLY;
                      case "never_connected" -> StaleDeleteOutcome.NEVER_CONNECTED;
                      case "conflict" -> StaleDeleteOutcome.CHANGED;
                      case "not_found" -> StaleDeleteOutcome.NOT_FOUND;
                      case "fenced" -> StaleDeleteOutcome.FENCED;
                      default ->
                          throw new IllegalStateException("unexpected store answer " + reply);
                    });
              }
              return outcomes;
            });
  }
}

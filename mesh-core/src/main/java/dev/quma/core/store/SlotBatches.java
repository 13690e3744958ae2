package dev.quma.core.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.impl.RequestImpl;
import io.vertx.redis.client.impl.ZModem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Pipelines requests as one batch per Redis Cluster hash slot, sent at once, with the replies put
 * back in the order of the requests. A cluster refuses a batch whose keys span slots (CROSSSLOT),
 * so every batch over several meshes goes through here; on a single Redis the groups are pipelined
 * side by side. Requests without a key go with the first group.
 */
public final class SlotBatches {
  /** The slot of a request without a key. */
  public static final int NO_KEY = -1;

  /**
   * The longest pipeline sent at once. Vert.x' Redis connection refuses a batch longer than its
   * free waiting slots (2048 in all by default, shared with every other command on it): a replica
   * flushing the counters of 10,000 streams in one batch failed with "waiting queue is full" and
   * took the streams' own closes down with it. Longer batches go in chunks, one after another.
   */
  public static final int MAX_PIPELINE = 512;

  private SlotBatches() {}

  /**
   * The hash slot of {@code key} (its hash tag's, when it has one), as Redis Cluster computes it.
   */
  public static int slot(String key) {
    return ZModem.generate(key);
  }

  public static Uni<List<Response>> batch(Redis redis, List<Request> requests) {
    return bySlot(requests, SlotBatches::slotOf, redis::batch);
  }

  /**
   * {@code items} sent in groups of one slot each ({@code slotOf}), each group by {@code send}
   * (which answers one reply per item, in order); the replies in the order of {@code items}.
   */
  public static <T> Uni<List<Response>> bySlot(
      List<T> items, Function<T, Integer> slotOf, Function<List<T>, Uni<List<Response>>> send) {
    if (items.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    Map<Integer, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < items.size(); i++) {
      groups.computeIfAbsent(slotOf.apply(items.get(i)), s -> new ArrayList<>()).add(i);
    }
    List<Integer> keyless = groups.remove(NO_KEY);
    if (keyless != null) {
      if (groups.isEmpty()) {
        groups.put(NO_KEY, keyless);
      } else {
        groups.values().iterator().next().addAll(keyless);
      }
    }
    if (groups.size() == 1) {
      List<Integer> only = groups.values().iterator().next();
      if (only.size() == items.size() && isAscending(only)) {
        return inChunks(items, send);
      }
    }
    List<List<Integer>> indexes = new ArrayList<>(groups.values());
    List<Uni<List<Response>>> sends = new ArrayList<>();
    for (List<Integer> group : indexes) {
      sends.add(inChunks(group.stream().map(items::get).toList(), send));
    }
    return Uni.join()
        .all(sends)
        .andFailFast()
        .map(
            replies -> {
              Response[] ordered = new Response[items.size()];
              for (int g = 0; g < indexes.size(); g++) {
                List<Integer> group = indexes.get(g);
                for (int k = 0; k < group.size(); k++) {
                  ordered[group.get(k)] = replies.get(g).get(k);
                }
              }
              return java.util.Arrays.asList(ordered);
            });
  }

  /** {@code items} sent by {@code send} in chunks of {@link #MAX_PIPELINE}, in order. */
  private static <T> Uni<List<Response>> inChunks(
      List<T> items, Function<List<T>, Uni<List<Response>>> send) {
    if (items.size() <= MAX_PIPELINE) {
      return send.apply(items);
    }
    Uni<List<Response>> all = Uni.createFrom().item(new ArrayList<>(items.size()));
    for (int from = 0; from < items.size(); from += MAX_PIPELINE) {
      List<T> chunk = items.subList(from, Math.min(items.size(), from + MAX_PIPELINE));
      all =
          all.flatMap(
              replies ->
                  send.apply(chunk)
                      .map(
                          more -> {
                            replies.addAll(more);
                            return replies;
                          }));
    }
    return all;
  }

  /** The slot of a request's first key, as the cluster client routes it. */
  static int slotOf(Request request) {
    List<byte[]> keys = ((RequestImpl) request.getDelegate()).keys();
    return keys.isEmpty() ? NO_KEY : ZModem.generate(keys.get(0));
  }

  private static boolean isAscending(List<Integer> indexes) {
    for (int i = 0; i < indexes.size(); i++) {
      if (indexes.get(i) != i) {
        return false;
      }
    }
    return true;
  }
}

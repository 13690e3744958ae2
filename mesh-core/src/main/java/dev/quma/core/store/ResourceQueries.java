package dev.quma.core.store;

import dev.quma.core.model.Dataplane;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceType;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Listing and counting resources: pages through the name indexes, Kuma's filters through the tag
 * index, counts with ZCARD; never KEYS or SCAN. The resources of a page are read through {@link
 * ResourceStore#getAll}, in one round trip.
 */
public final class ResourceQueries {
  private final ResourceStore store;
  private final Redis redis;
  private final Keys keys;
  private final MeshIndex meshes;

  public ResourceQueries(ResourceStore store) {
    this.store = store;
    this.redis = store.redis();
    this.keys = store.keys();
    this.meshes = store.meshIndex();
  }

  /** A page of resources of a mesh-scoped type in one mesh, or of a global type (mesh ignored). */
  public Uni<Page<Resource<?>>> list(ResourceType type, String mesh, ListQuery query) {
    if (type == ResourceType.MESH) {
      return listMeshes(query);
    }
    String tag = type.meshScoped() ? mesh : Keys.GLOBAL_TAG;
    if (!query.filtered()) {
      long stop = query.end() - 1;
      Request count = Request.cmd(Command.ZCARD).arg(keys.index(type, tag));
      Request range =
          Request.cmd(Command.ZRANGE).arg(keys.index(type, tag)).arg(query.offset()).arg(stop);
      return SlotBatches.batch(redis, List.of(count, range))
          .flatMap(
              responses -> {
                long total = responses.get(0).toLong();
                List<String> names = Replies.strings(responses.get(1));
                return store.getAll(type, mesh, names).map(items -> Page.of(total, items, query));
              });
    }
    return matchingNames(type, tag, query)
        .flatMap(
            names -> {
              List<String> slice = slice(new ArrayList<>(names), query);
              return store
                  .getAll(type, mesh, slice)
                  .map(items -> Page.of(names.size(), items, query));
            });
  }

  /** A page over every mesh (ordered by mesh, then name), e.g. for {@code GET /dataplanes}. */
  public Uni<Page<Resource<?>>> listAcrossMeshes(ResourceType type, ListQuery query) {
    if (!type.meshScoped()) {
      return list(type, null, query);
    }
    return meshNames()
        .flatMap(
            names -> {
              if (names.isEmpty()) {
                return Uni.createFrom().item(Page.of(0, List.of(), query));
              }
              List<Uni<List<String>>> perMesh = new ArrayList<>();
              for (String mesh : names) {
                perMesh.add(matchingNames(type, mesh, query).map(ArrayList::new));
              }
              return Uni.join()
                  .all(perMesh)
                  .andFailFast()
                  .flatMap(namesPerMesh -> pageAcross(type, names, namesPerMesh, query));
            });
  }

  private Uni<Page<Resource<?>>> pageAcross(
      ResourceType type, List<String> meshes, List<List<String>> namesPerMesh, ListQuery query) {
    long total = namesPerMesh.stream().mapToLong(List::size).sum();
    Map<String, List<String>> wanted = new LinkedHashMap<>();
    long skip = query.offset();
    long remaining = query.size();
    for (int i = 0; i < meshes.size() && remaining > 0; i++) {
      List<String> names = namesPerMesh.get(i);
      if (skip >= names.size()) {
        skip -= names.size();
        continue;
      }
      int from = (int) skip;
      int to = (int) Math.min(names.size(), from + remaining);
      wanted.put(meshes.get(i), names.subList(from, to));
      remaining -= to - from;
      skip = 0;
    }
    List<Uni<List<Resource<?>>>> fetches = new ArrayList<>();
    wanted.forEach((mesh, names) -> fetches.add(store.getAll(type, mesh, names)));
    if (fetches.isEmpty()) {
      return Uni.createFrom().item(Page.of(total, List.of(), query));
    }
    return Uni.join()
        .all(fetches)
        .andFailFast()
        .map(
            lists -> {
              List<Resource<?>> items = new ArrayList<>();
              lists.forEach(items::addAll);
              return Page.of(total, items, query);
            });
  }

  /** Names of every mesh, sorted. */
  public Uni<List<String>> meshNames() {
    return meshes.names();
  }

  /** How many meshes there are (the global index). */
  public Uni<Long> meshCount() {
    return meshes.count();
  }

  /** How many resources of a type one mesh has (or the global scope has). */
  public Uni<Long> count(ResourceType type, String mesh) {
    String tag = type.meshScoped() ? mesh : Keys.GLOBAL_TAG;
    return redis.send(Request.cmd(Command.ZCARD).arg(keys.index(type, tag))).map(Response::toLong);
  }

  /**
   * How many resources of each mesh-scoped type each mesh has, in one round trip (ZCARD of each
   * name index), keyed as {@code meshes} and {@code types}.
   */
  public Uni<Map<String, Map<ResourceType, Long>>> countAll(
      List<ResourceType> types, List<String> meshes) {
    if (types.isEmpty() || meshes.isEmpty()) {
      return Uni.createFrom().item(Map.of());
    }
    List<Request> counts = new ArrayList<>(types.size() * meshes.size());
    for (String mesh : meshes) {
      for (ResourceType type : types) {
        counts.add(
            Request.cmd(Command.ZCARD)
                .arg(keys.index(type, type.meshScoped() ? mesh : Keys.GLOBAL_TAG)));
      }
    }
    return SlotBatches.batch(redis, counts)
        .map(
            replies -> {
              Map<String, Map<ResourceType, Long>> out = new LinkedHashMap<>();
              int i = 0;
              for (String mesh : meshes) {
                Map<ResourceType, Long> perType = new LinkedHashMap<>();
                for (ResourceType type : types) {
                  perType.put(type, replies.get(i++).toLong());
                }
                out.put(mesh, perType);
              }
              return out;
            });
  }

  private Uni<Page<Resource<?>>> listMeshes(ListQuery query) {
    return meshNames()
        .flatMap(
            names -> {
              List<String> wanted =
                  names.stream()
                      .filter(n -> query.nameContains() == null || n.contains(query.nameContains()))
                      .toList();
              // The global index may briefly hold a mesh whose record is not written yet (or was
              // just deleted), and a record may no longer read: such names are left out.
              return store
                  .getAll(ResourceType.MESH, null, wanted)
                  .map(
                      meshes ->
                          Page.of(meshes.size(), slice(new ArrayList<>(meshes), query), query));
            });
  }

  private Uni<TreeSet<String>> matchingNames(ResourceType type, String tag, ListQuery query) {
    Uni<Set<String>> candidates = candidateNames(type, tag, query);
    if (query.gateway() != ListQuery.GatewayFilter.ANY) {
      candidates = candidates.flatMap(names -> keepGateways(type, tag, query.gateway(), names));
    }
    return candidates.map(
        names -> {
          TreeSet<String> sorted = new TreeSet<>();
          for (String name : names) {
            if (query.nameContains() == null || name.contains(query.nameContains())) {
              sorted.add(name);
            }
          }
          return sorted;
        });
  }

  /** Keeps the names that pass a gateway filter, from the tag index's gateway entries. */
  private Uni<Set<String>> keepGateways(
      ResourceType type, String tag, ListQuery.GatewayFilter filter, Set<String> names) {
    return redis
        .send(TagIndex.byKey(keys.tagIndex(type, tag), TagIndex.GATEWAY_KEY))
        .map(
            response -> {
              Set<String> gateways = new HashSet<>();
              for (String text : Replies.strings(response)) {
                TagIndex.Entry entry = TagIndex.parse(text);
                boolean wanted =
                    switch (filter) {
                      case BUILTIN -> entry.value().equals(Dataplane.Gateway.Type.BUILTIN.name());
                      case DELEGATED ->
                          entry.value().equals(Dataplane.Gateway.Type.DELEGATED.name());
                      default -> true;
                    };
                if (wanted) {
                  gateways.add(entry.name());
                }
              }
              Set<String> kept = new HashSet<>(names);
              if (filter == ListQuery.GatewayFilter.NOT_GATEWAY) {
                kept.removeAll(gateways);
              } else {
                kept.retainAll(gateways);
              }
              return kept;
            });
  }

  private Uni<Set<String>> candidateNames(ResourceType type, String tag, ListQuery query) {
    if (query.tags().isEmpty()) {
      return redis
          .send(Request.cmd(Command.ZRANGE).arg(keys.index(type, tag)).arg(0).arg(-1))
          .map(r -> new HashSet<>(Replies.strings(r)));
    }
    List<Request> lookups = new ArrayList<>();
    for (String key : query.tags().keySet()) {
      lookups.add(TagIndex.byKey(keys.tagIndex(type, tag), key));
    }
    return SlotBatches.batch(redis, lookups)
        .map(
            responses -> {
              Set<String> result = null;
              int i = 0;
              for (String wantedValue : query.tags().values()) {
                Set<String> matches = new HashSet<>();
                for (String text : Replies.strings(responses.get(i++))) {
                  TagIndex.Entry entry = TagIndex.parse(text);
                  if (entry.value().contains(wantedValue)) {
                    matches.add(entry.name());
                  }
                }
                if (result == null) {
                  result = matches;
                } else {
                  result.retainAll(matches);
                }
              }
              return result;
            });
  }

  private static <T> List<T> slice(List<T> all, ListQuery query) {
    if (query.offset() >= all.size()) {
      return List.of();
    }
    int from = (int) query.offset();
    int to = (int) Math.min(all.size(), query.offset() + query.size());
    return all.subList(from, to);
  }
}

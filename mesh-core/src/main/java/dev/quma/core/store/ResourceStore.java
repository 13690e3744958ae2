package dev.quma.core.store;

import dev.quma.core.codec.ResourceCodec;
import dev.quma.core.lease.Fence;
import dev.quma.core.logging.RepeatedErrors;
import dev.quma.core.model.Dataplane;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceMeta;
import dev.quma.core.model.ResourceType;
import dev.quma.core.stats.DataplaneClass;
import dev.quma.core.stats.MeshStatsStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jboss.logging.Logger;

/**
 * The store of record for resources, in Redis. Writes are single Lua scripts (check version, write,
 * maintain indexes, append a change event) so that nothing is ever half-written; listings page
 * through sorted-set indexes, never KEYS or SCAN.
 */
public final class ResourceStore {
  private static final LuaScript PUT =
      LuaScript.load(ResourceStore.class, MeshStatsStore.LUA_LIBRARY, "put.lua");
  private static final LuaScript DELETE =
      LuaScript.load(ResourceStore.class, MeshStatsStore.LUA_LIBRARY, "delete.lua");
  private static final LuaScript DELETE_MESH = LuaScript.load("delete-mesh.lua");
  private static final LuaScript DELETE_IF_STALE =
      LuaScript.load(
          ResourceStore.class, MeshStatsStore.LUA_LIBRARY, "stale-guard.lua", "delete.lua");
  private static final char TAG_SEPARATOR = '\1';

  /**
   * The tag index entry of a gateway dataplane carries this key (not a valid tag key, so no tag
   * filter meets it by accident) and its gateway type as value.
   */
  static final String GATEWAY_KEY = "@gateway";

  private static final Logger LOG = Logger.getLogger(ResourceStore.class);
  private static final RepeatedErrors UNREADABLE = new RepeatedErrors(Duration.ofMinutes(1));

  private final Redis redis;
  private final Keys keys;
  private final StoreSettings settings;
  private final Clock clock;
  private final ResourceCodec codec = ResourceCodec.instance();

  public ResourceStore(Redis redis, StoreSettings settings) {
    this(redis, settings, Clock.systemUTC());
  }

  public ResourceStore(Redis redis, StoreSettings settings, Clock clock) {
    this.redis = redis;
    this.settings = settings;
    this.keys = new Keys(settings.keyPrefix());
    this.clock = clock;
  }

  public Keys keys() {
    return keys;
  }

  public Redis redis() {
    return redis;
  }

  // ---- reads -------------------------------------------------------------------------------

  /** The resource, or a failed Uni with {@link ResourceNotFoundException}. */
  public Uni<Resource<?>> get(ResourceType type, String mesh, String name) {
    return find(type, mesh, name)
        .map(found -> found.orElseThrow(() -> new ResourceNotFoundException(type, mesh, name)));
  }

  @SuppressWarnings("unchecked")
  public <S> Uni<Resource<S>> get(ResourceType type, String mesh, String name, Class<S> specClass) {
    return get(type, mesh, name).map(r -> (Resource<S>) r);
  }

  @SuppressWarnings("unchecked")
  public <S> Uni<Optional<Resource<S>>> find(
      ResourceType type, String mesh, String name, Class<S> specClass) {
    return find(type, mesh, name).map(found -> found.map(r -> (Resource<S>) r));
  }

  public Uni<Optional<Resource<?>>> find(ResourceType type, String mesh, String name) {
    return redis
        .send(hmget(type, mesh, name))
        .map(response -> Optional.ofNullable(decode(type, mesh, name, response)));
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
      return redis
          .batch(List.of(count, range))
          .flatMap(
              responses -> {
                long total = responses.get(0).toLong();
                List<String> names = strings(responses.get(1));
                return fetch(type, mesh, names).map(items -> Page.of(total, items, query));
              });
    }
    return matchingNames(type, tag, query)
        .flatMap(
            names -> {
              List<String> slice = slice(new ArrayList<>(names), query);
              return fetch(type, mesh, slice).map(items -> Page.of(names.size(), items, query));
            });
  }

  /** A page over every mesh (ordered by mesh, then name), e.g. for {@code GET /dataplanes}. */
  public Uni<Page<Resource<?>>> listAcrossMeshes(ResourceType type, ListQuery query) {
    if (!type.meshScoped()) {
      return list(type, null, query);
    }
    return meshNames()
        .flatMap(
            meshes -> {
              if (meshes.isEmpty()) {
                return Uni.createFrom().item(Page.of(0, List.of(), query));
              }
              List<Uni<List<String>>> perMesh = new ArrayList<>();
              for (String mesh : meshes) {
                perMesh.add(matchingNames(type, mesh, query).map(ArrayList::new));
              }
              return Uni.join()
                  .all(perMesh)
                  .andFailFast()
                  .flatMap(namesPerMesh -> pageAcross(type, meshes, namesPerMesh, query));
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
    wanted.forEach((mesh, names) -> fetches.add(fetch(type, mesh, names)));
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
    return redis
        .send(Request.cmd(Command.ZRANGE).arg(keys.meshIndex()).arg(0).arg(-1))
        .map(ResourceStore::strings);
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
    return redis
        .batch(counts)
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

  /** How many meshes there are (the global index). */
  public Uni<Long> meshCount() {
    return redis.send(Request.cmd(Command.ZCARD).arg(keys.meshIndex())).map(Response::toLong);
  }

  /**
   * The named resources of one mesh (or of the global scope) that exist, in the order of {@code
   * names}, read in one round trip.
   */
  public Uni<List<Resource<?>>> getAll(ResourceType type, String mesh, List<String> names) {
    return fetch(type, mesh, names);
  }

  private Uni<Page<Resource<?>>> listMeshes(ListQuery query) {
    return meshNames()
        .flatMap(
            names -> {
              List<Uni<Optional<Resource<?>>>> reads = new ArrayList<>();
              for (String name : names) {
                if (query.nameContains() == null || name.contains(query.nameContains())) {
                  reads.add(
                      redis
                          .send(hmget(ResourceType.MESH, null, name))
                          .map(
                              r ->
                                  Optional.ofNullable(readable(ResourceType.MESH, null, name, r))));
                }
              }
              if (reads.isEmpty()) {
                return Uni.createFrom().item(Page.<Resource<?>>of(0, List.of(), query));
              }
              // The global index may briefly hold a mesh whose record is not written yet (or was
              // just
              // deleted): such names are skipped rather than shown half-made.
              return Uni.join()
                  .all(reads)
                  .andFailFast()
                  .map(
                      found -> {
                        List<Resource<?>> meshes =
                            found.stream().flatMap(Optional::stream).toList();
                        return Page.of(meshes.size(), slice(new ArrayList<>(meshes), query), query);
                      });
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

  /**
   * Keeps the names that pass a gateway filter, from the tag index's gateway entries (one per
   * gateway dataplane: {@link #GATEWAY_KEY} with the gateway's type as value).
   */
  private Uni<Set<String>> keepGateways(
      ResourceType type, String tag, ListQuery.GatewayFilter filter, Set<String> names) {
    Request lookup =
        Request.cmd(Command.ZRANGEBYLEX)
            .arg(keys.tagIndex(type, tag))
            .arg("[" + GATEWAY_KEY + TAG_SEPARATOR)
            .arg("(" + GATEWAY_KEY + (char) (TAG_SEPARATOR + 1));
    return redis
        .send(lookup)
        .map(
            response -> {
              Set<String> gateways = new HashSet<>();
              for (String entry : strings(response)) {
                int first = entry.indexOf(TAG_SEPARATOR);
                int second = entry.indexOf(TAG_SEPARATOR, first + 1);
                String gatewayType = entry.substring(first + 1, second);
                boolean wanted =
                    switch (filter) {
                      case BUILTIN -> gatewayType.equals(Dataplane.Gateway.Type.BUILTIN.name());
                      case DELEGATED -> gatewayType.equals(Dataplane.Gateway.Type.DELEGATED.name());
                      default -> true;
                    };
                if (wanted) {
                  gateways.add(entry.substring(second + 1));
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
    Uni<Set<String>> candidates;
    if (query.tags().isEmpty()) {
      candidates =
          redis
              .send(Request.cmd(Command.ZRANGE).arg(keys.index(type, tag)).arg(0).arg(-1))
              .map(r -> new HashSet<>(strings(r)));
    } else {
      List<Request> lookups = new ArrayList<>();
      for (String key : query.tags().keySet()) {
        lookups.add(
            Request.cmd(Command.ZRANGEBYLEX)
                .arg(keys.tagIndex(type, tag))
                .arg("[" + key + TAG_SEPARATOR)
                .arg("(" + key + (char) (TAG_SEPARATOR + 1)));
      }
      candidates =
          redis
              .batch(lookups)
              .map(
                  responses -> {
                    Set<String> result = null;
                    int i = 0;
                    for (String wantedValue : query.tags().values()) {
                      Set<String> matches = new HashSet<>();
                      for (String entry : strings(responses.get(i++))) {
                        // entry = key \1 value \1 name
                        int first = entry.indexOf(TAG_SEPARATOR);
                        int second = entry.indexOf(TAG_SEPARATOR, first + 1);
                        if (entry.substring(first + 1, second).contains(wantedValue)) {
                          matches.add(entry.substring(second + 1));
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
    return candidates;
  }

  private Uni<List<Resource<?>>> fetch(ResourceType type, String mesh, List<String> names) {
    if (names.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    List<Request> reads = new ArrayList<>(names.size());
    for (String name : names) {
      reads.add(hmget(type, mesh, name));
    }
    return redis
        .batch(reads)
        .map(
            responses -> {
              List<Resource<?>> items = new ArrayList<>(names.size());
              for (int i = 0; i < names.size(); i++) {
                Resource<?> resource = readable(type, mesh, names.get(i), responses.get(i));
                if (resource != null) {
                  items.add(resource);
                }
              }
              return items;
            });
  }

  private Request hmget(ResourceType type, String mesh, String name) {
    return Request.cmd(Command.HMGET)
        .arg(keys.record(type, mesh, name))
        .arg("v")
        .arg("ct")
        .arg("mt")
        .arg("labels")
        .arg("spec");
  }

  private Resource<?> decode(ResourceType type, String mesh, String name, Response fields) {
    if (fields == null || fields.get(0) == null) {
      return null;
    }
    long version = fields.get(0).toLong();
    Instant created = Instant.parse(fields.get(1).toString());
    Instant modified = Instant.parse(fields.get(2).toString());
    SortedMap<String, String> labels = readLabels(fields.get(3));
    Object spec = codec.readStoredSpec(fields.get(4).toString(), type.specClass());
    ResourceMeta meta =
        new ResourceMeta(
            type, type.meshScoped() ? mesh : null, name, created, modified, labels, version);
    return new Resource<>(meta, spec);
  }

  /**
   * {@link #decode}, for lists: a record that cannot be read is left out of the page (and said so
   * in the log, once per record and minute) rather than failing the page.
   */
  private Resource<?> readable(ResourceType type, String mesh, String name, Response fields) {
    try {
      return decode(type, mesh, name, fields);
    } catch (RuntimeException e) {
      String key = keys.record(type, mesh, name);
      if (UNREADABLE.occurred(key, key).verdict() != RepeatedErrors.Verdict.SILENT) {
        LOG.errorf("left the unreadable record %s out of a list: %s", key, e);
      }
      return null;
    }
  }

  @SuppressWarnings("unchecked")
  private SortedMap<String, String> readLabels(Response json) {
    if (json == null || json.toString().isEmpty()) {
      return new TreeMap<>();
    }
    return new TreeMap<>(codec.readStoredSpec(json.toString(), Map.class));
  }

  // ---- writes ------------------------------------------------------------------------------

  /** Creates the resource; fails with {@link ResourceConflictException} if it exists. */
  public Uni<WriteResult> create(Resource<?> resource) {
    return write("create", resource, OptionalLong.empty());
  }

  /** Updates an existing resource, if {@code expectedVersion} (when given) is still its version. */
  public Uni<WriteResult> update(Resource<?> resource, OptionalLong expectedVersion) {
    return write("update", resource, expectedVersion);
  }

  /** Creates or updates (Kuma's PUT); with an expected version, only updates that version. */
  public Uni<WriteResult> put(Resource<?> resource, OptionalLong expectedVersion) {
    return write("upsert", resource, expectedVersion);
  }

  private Uni<WriteResult> write(String mode, Resource<?> resource, OptionalLong expectedVersion) {
    String spec;
    try {
      spec = codec.storableSpec(resource.spec()); // never store what cannot be read back
    } catch (RuntimeException e) {
      return Uni.createFrom().failure(e);
    }
    ResourceType type = resource.meta().type();
    String mesh = resource.mesh();
    String name = resource.name();
    String tag = Keys.tagOf(type, mesh, name);
    Instant now = clock.instant();
    List<String> scriptKeys =
        List.of(
            keys.record(type, mesh, name),
            keys.index(type, tag),
            keys.tagIndex(type, tag),
            keys.events(tag),
            keys.sequence(tag),
            type.meshScoped()
                ? keys.record(ResourceType.MESH, null, mesh)
                : keys.record(type, mesh, name),
            keys.online(tag),
            keys.stats(tag),
            keys.statsServices(tag),
            keys.statsNames(tag));
    List<String> args =
        List.of(
            mode,
            expectedVersion.isPresent() ? String.valueOf(expectedVersion.getAsLong()) : "",
            now.toString(),
            codec.writeSpec(resource.meta().labels()),
            spec,
            tagEntries(resource),
            type.kumaName(),
            eventMesh(type, mesh, name),
            name,
            String.valueOf(settings.streamMaxLength()),
            type.meshScoped() ? "1" : "0",
            resource.spec() instanceof Dataplane dataplane ? DataplaneClass.ofSpec(dataplane) : "");
    Uni<Void> before =
        type == ResourceType.MESH ? addToMeshIndex(name) : Uni.createFrom().voidItem();
    return before
        .flatMap(x -> PUT.run(redis, scriptKeys, args))
        .flatMap(
            response -> {
              String status = response.get(0).toString();
              return switch (status) {
                case "created" ->
                    afterMeshCreated(type, name)
                        .replaceWith(new WriteResult(true, response.get(1).toLong(), now, now));
                case "updated" ->
                    Uni.createFrom()
                        .item(
                            new WriteResult(
                                false,
                                response.get(1).toLong(),
                                Instant.parse(response.get(2).toString()),
                                now));
                case "exists" ->
                    Uni.createFrom()
                        .failure(
                            ResourceConflictException.alreadyExists(
                                type, mesh, name, response.get(1).toLong()));
                case "conflict" ->
                    Uni.createFrom()
                        .failure(
                            ResourceConflictException.staleVersion(
                                type,
                                mesh,
                                name,
                                expectedVersion.orElse(-1),
                                response.get(1).toLong()));
                case "not_found" ->
                    Uni.createFrom().failure(new ResourceNotFoundException(type, mesh, name));
                case "no_mesh" ->
                    Uni.createFrom().failure(new MeshNotFoundException(type, mesh, name));
                default ->
                    Uni.createFrom()
                        .failure(new IllegalStateException("unexpected store answer " + status));
              };
            });
  }

  /**
   * Deletes the resource (only at {@code expectedVersion} when given). A mesh is deleted only while
   * it has no dataplanes ({@link MeshNotEmptyException}); its secrets go with it.
   */
  public Uni<Long> delete(
      ResourceType type, String mesh, String name, OptionalLong expectedVersion) {
    String expected =
        expectedVersion.isPresent() ? String.valueOf(expectedVersion.getAsLong()) : "";
    String tag = Keys.tagOf(type, mesh, name);
    Uni<Response> run;
    if (type == ResourceType.MESH) {
      run =
          DELETE_MESH.run(
              redis,
              List.of(
                  keys.record(type, null, name),
                  keys.index(type, tag),
                  keys.events(tag),
                  keys.sequence(tag),
                  keys.index(ResourceType.DATAPLANE, name),
                  keys.index(ResourceType.SECRET, name),
                  keys.stats(name),
                  keys.statsServices(name),
                  keys.statsNames(name)),
              List.of(
                  expected,
                  name,
                  String.valueOf(settings.streamMaxLength()),
                  type.kumaName(),
                  keys.recordPrefix(ResourceType.SECRET, name),
                  ResourceType.SECRET.kumaName()));
    } else {
      run =
          DELETE.run(
              redis,
              List.of(
                  keys.record(type, mesh, name),
                  keys.index(type, tag),
                  keys.tagIndex(type, tag),
                  keys.events(tag),
                  keys.sequence(tag),
                  keys.index(type, tag),
                  type == ResourceType.DATAPLANE
                      ? keys.insight(mesh, name)
                      : keys.record(type, mesh, name),
                  type == ResourceType.DATAPLANE ? keys.lastSeen(mesh) : keys.index(type, tag),
                  type == ResourceType.DATAPLANE ? keys.online(mesh) : keys.index(type, tag),
                  keys.stats(tag),
                  keys.statsServices(tag),
                  keys.statsNames(tag)),
              List.of(
                  expected,
                  type.kumaName(),
                  mesh == null ? "" : mesh,
                  name,
                  String.valueOf(settings.streamMaxLength()),
                  "0"));
    }
    return run.flatMap(
        response -> {
          String status = response.get(0).toString();
          return switch (status) {
            case "deleted" -> afterMeshDeleted(type, name).replaceWith(response.get(1).toLong());
            case "not_found" ->
                Uni.createFrom().failure(new ResourceNotFoundException(type, mesh, name));
            case "conflict" ->
                Uni.createFrom()
                    .failure(
                        ResourceConflictException.staleVersion(
                            type,
                            mesh,
                            name,
                            expectedVersion.orElse(-1),
                            response.get(1).toLong()));
            case "not_empty" ->
                Uni.createFrom().failure(new MeshNotEmptyException(name, response.get(1).toLong()));
            default ->
                Uni.createFrom()
                    .failure(new IllegalStateException("unexpected store answer " + status));
          };
        });
  }

  /**
   * The lifecycle cleanup's delete: each dataplane goes only if it is still offline (not in the
   * online set), was last heard from at or before {@code lastSeenCutoff}, is still at the version
   * the caller read, and {@code fence} is not older than the newest token that swept the mesh. Each
   * check-and-delete is atomic and deletes exactly as {@link #delete} does (indexes, insight,
   * heartbeats, change event); all go in one round trip. Answers in the order of {@code
   * candidates}.
   */
  public Uni<List<StaleDeleteOutcome>> deleteIfStale(
      String mesh, List<StaleDataplane> candidates, Instant lastSeenCutoff, Fence fence) {
    ResourceType type = ResourceType.DATAPLANE;
    List<LuaScript.Call> calls = new ArrayList<>(candidates.size());
    for (StaleDataplane candidate : candidates) {
      String name = candidate.name();
      calls.add(
          new LuaScript.Call(
              List.of(
                  keys.record(type, mesh, name),
                  keys.index(type, mesh),
                  keys.tagIndex(type, mesh),
                  keys.events(mesh),
                  keys.sequence(mesh),
                  keys.index(type, mesh),
                  keys.insight(mesh, name),
                  keys.lastSeen(mesh),
                  keys.online(mesh),
                  keys.stats(mesh),
                  keys.statsServices(mesh),
                  keys.statsNames(mesh),
                  keys.fence(mesh, fence.lease())),
              List.of(
                  String.valueOf(candidate.version()),
                  type.kumaName(),
                  mesh,
                  name,
                  String.valueOf(settings.streamMaxLength()),
                  "0",
                  String.valueOf(lastSeenCutoff.toEpochMilli()),
                  String.valueOf(fence.token()),
                  String.valueOf(Fence.MEMORY.toMillis()))));
    }
    return DELETE_IF_STALE
        .runAll(redis, calls)
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

  /**
   * Creates the mesh once in the life of this store: a marker in the mesh's slot records that it
   * was created, so that a mesh the operator deleted is not brought back by the next restart.
   */
  public Uni<Boolean> createMeshOnce(Resource<?> mesh) {
    String marker = keys.defaultMeshMarker(mesh.name());
    return redis
        .send(Request.cmd(Command.SET).arg(marker).arg(clock.instant().toString()).arg("NX"))
        .flatMap(
            claimed -> {
              if (claimed == null) {
                return Uni.createFrom().item(false);
              }
              return create(mesh)
                  .replaceWith(true)
                  .onFailure(ResourceConflictException.class)
                  .recoverWithItem(false)
                  .onFailure(e -> !(e instanceof ResourceConflictException))
                  .call(
                      () ->
                          redis.send(
                              Request.cmd(Command.DEL).arg(marker))); // let a later start retry
            });
  }

  /** A random id given to this control plane's store the first time any replica asks for it. */
  public Uni<String> clusterId() {
    Request claim =
        Request.cmd(Command.SET)
            .arg(keys.clusterId())
            .arg(java.util.UUID.randomUUID().toString())
            .arg("NX");
    return redis
        .send(claim)
        .flatMap(x -> redis.send(Request.cmd(Command.GET).arg(keys.clusterId())))
        .map(Response::toString);
  }

  private Uni<Void> addToMeshIndex(String mesh) {
    return redis
        .send(Request.cmd(Command.ZADD).arg(keys.meshIndex()).arg(0).arg(mesh))
        .replaceWithVoid();
  }

  private Uni<Void> afterMeshCreated(ResourceType type, String mesh) {
    if (type != ResourceType.MESH) {
      return Uni.createFrom().voidItem();
    }
    return globalEvent("create", mesh);
  }

  private Uni<Void> afterMeshDeleted(ResourceType type, String mesh) {
    if (type != ResourceType.MESH) {
      return Uni.createFrom().voidItem();
    }
    return redis
        .send(Request.cmd(Command.ZREM).arg(keys.meshIndex()).arg(mesh))
        .flatMap(x -> globalEvent("delete", mesh));
  }

  /**
   * Meshes come and go on the global stream too, so that followers learn which mesh streams to
   * read.
   */
  private Uni<Void> globalEvent(String op, String mesh) {
    Request xadd =
        Request.cmd(Command.XADD)
            .arg(keys.events(Keys.GLOBAL_TAG))
            .arg("MAXLEN")
            .arg("~")
            .arg(settings.streamMaxLength())
            .arg("*")
            .arg("op")
            .arg(op)
            .arg("type")
            .arg(ResourceType.MESH.kumaName())
            .arg("mesh")
            .arg(mesh)
            .arg("name")
            .arg(mesh)
            .arg("version")
            .arg(0);
    return redis.send(xadd).replaceWithVoid();
  }

  /** The mesh an event is about: a Mesh's own name, none for global resources. */
  private static String eventMesh(ResourceType type, String mesh, String name) {
    if (type == ResourceType.MESH) {
      return name;
    }
    return mesh == null ? "" : mesh;
  }

  /**
   * Tag index entries ("key\1value"), one per distinct tag of a dataplane, and one for its gateway
   * type when it is a gateway; none for other types.
   */
  private static String tagEntries(Resource<?> resource) {
    if (!(resource.spec() instanceof Dataplane dataplane)) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    if (dataplane.hasGateway()) {
      out.append(GATEWAY_KEY)
          .append(TAG_SEPARATOR)
          .append(dataplane.networking().gateway().effectiveType().name());
    }
    dataplane
        .tags()
        .forEach(
            (key, values) -> {
              for (String value : values) {
                if (!out.isEmpty()) {
                  out.append('\n');
                }
                out.append(key).append(TAG_SEPARATOR).append(value);
              }
            });
    return out.toString();
  }

  private static <T> List<T> slice(List<T> all, ListQuery query) {
    if (query.offset() >= all.size()) {
      return List.of();
    }
    int from = (int) query.offset();
    int to = (int) Math.min(all.size(), query.offset() + query.size());
    return all.subList(from, to);
  }

  static List<String> strings(Response response) {
    if (response == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>(response.size());
    for (Response item : response) {
      out.add(item.toString());
    }
    return out;
  }
}

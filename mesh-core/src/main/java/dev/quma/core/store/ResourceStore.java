package dev.quma.core.store;

import dev.quma.core.codec.ResourceCodec;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * The store of record for resources, in Redis: reading resources by name, creating, updating and
 * deleting them. Each write is one Lua script (check version, write, maintain the indexes and the
 * mesh's counters, append a change event), so that nothing is ever half-written. Listing and
 * counting are {@link ResourceQueries}; the lifecycle cleanup's fenced delete is {@link
 * StaleDataplanes}.
 */
public final class ResourceStore {
  private static final LuaScript PUT =
      LuaScript.load(ResourceStore.class, MeshStatsStore.LUA_LIBRARY, "put.lua");
  private static final LuaScript DELETE =
      LuaScript.load(ResourceStore.class, MeshStatsStore.LUA_LIBRARY, "delete.lua");
  private static final LuaScript DELETE_MESH =
      LuaScript.load(ResourceStore.class, "delete-mesh.lua");

  private static final Logger LOG = Logger.getLogger(ResourceStore.class);
  private static final RepeatedErrors UNREADABLE = new RepeatedErrors(Duration.ofMinutes(1));

  private final Redis redis;
  private final Keys keys;
  private final StoreSettings settings;
  private final Clock clock;
  private final MeshIndex meshIndex;
  private final ResourceCodec codec = ResourceCodec.instance();

  public ResourceStore(Redis redis, StoreSettings settings) {
    this(redis, settings, Clock.systemUTC());
  }

  public ResourceStore(Redis redis, StoreSettings settings, Clock clock) {
    this.redis = redis;
    this.settings = settings;
    this.keys = new Keys(settings.keyPrefix());
    this.clock = clock;
    this.meshIndex = new MeshIndex(redis, keys, settings);
  }

  public Keys keys() {
    return keys;
  }

  public Redis redis() {
    return redis;
  }

  public StoreSettings settings() {
    return settings;
  }

  MeshIndex meshIndex() {
    return meshIndex;
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

  /**
   * The named resources of one mesh (or of the global scope) that exist, in the order of {@code
   * names}, read in one round trip. One that no longer reads is left out (and said so in the log,
   * once a minute per record) rather than failing the whole read: lists are made of these.
   */
  public Uni<List<Resource<?>>> getAll(ResourceType type, String mesh, List<String> names) {
    if (names.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    List<Request> reads = new ArrayList<>(names.size());
    for (String name : names) {
      reads.add(hmget(type, mesh, name));
    }
    return SlotBatches.batch(redis, reads)
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
    Instant now = clock.instant();
    LuaScript.Call call = resourceKeys(type, mesh, name);
    if (type.meshScoped()) {
      call.key("meshRecord", keys.record(ResourceType.MESH, null, mesh));
    }
    if (resource.spec() instanceof Dataplane) {
      counterKeys(call, mesh);
    }
    call.arg("mode", mode)
        .arg("expected", expected(expectedVersion))
        .arg("now", now)
        .arg("labels", codec.writeSpec(resource.meta().labels()))
        .arg("spec", spec)
        .arg("tags", TagIndex.entries(resource))
        .arg("type", type.kumaName())
        .arg("mesh", eventMesh(type, mesh, name))
        .arg("name", name)
        .arg("maxlen", settings.streamMaxLength());
    if (resource.spec() instanceof Dataplane dataplane) {
      call.arg("specClass", DataplaneClass.ofSpec(dataplane));
    }
    Uni<Void> before =
        type == ResourceType.MESH ? meshIndex.add(name) : Uni.createFrom().voidItem();
    return before
        .flatMap(x -> PUT.run(redis, call, settings.writeReplicas()))
        .flatMap(
            response -> {
              String status = response.get(0).toString();
              return switch (status) {
                case "created" ->
                    (type == ResourceType.MESH
                            ? meshIndex.created(name)
                            : Uni.createFrom().voidItem())
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
    Uni<Response> run =
        type == ResourceType.MESH
            ? DELETE_MESH.run(
                redis, deleteMeshCall(name, expectedVersion), settings.writeReplicas())
            : DELETE.run(
                redis,
                deleteCall(type, mesh, name, expected(expectedVersion)),
                settings.writeReplicas());
    return run.flatMap(
        response -> {
          String status = response.get(0).toString();
          return switch (status) {
            case "deleted" ->
                (type == ResourceType.MESH ? meshIndex.deleted(name) : Uni.createFrom().voidItem())
                    .replaceWith(response.get(1).toLong());
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
   * The keys and arguments of {@code delete.lua} for one resource (not a Mesh): a dataplane's also
   * name its insight, heartbeats and the mesh's counters.
   */
  LuaScript.Call deleteCall(ResourceType type, String mesh, String name, String expected) {
    LuaScript.Call call = resourceKeys(type, mesh, name);
    if (type == ResourceType.DATAPLANE) {
      counterKeys(
          call.key("insight", keys.insight(mesh, name))
              .key("lastSeen", keys.lastSeen(mesh))
              .key("departures", keys.departures(mesh)),
          mesh);
    }
    return call.arg("expected", expected)
        .arg("type", type.kumaName())
        .arg("mesh", mesh == null ? "" : mesh)
        .arg("name", name)
        .arg("maxlen", settings.streamMaxLength());
  }

  /** The keys every write of a resource takes: its record, indexes, stream and sequence. */
  private LuaScript.Call resourceKeys(ResourceType type, String mesh, String name) {
    String tag = Keys.tagOf(type, mesh, name);
    return new LuaScript.Call()
        .key("record", keys.record(type, mesh, name))
        .key("index", keys.index(type, tag))
        .key("tagIndex", keys.tagIndex(type, tag))
        .key("events", keys.events(tag))
        .key("sequence", keys.sequence(tag));
  }

  /** Besides the record, what the counters library takes for a dataplane of {@code mesh}. */
  private void counterKeys(LuaScript.Call call, String mesh) {
    MeshStatsStore.countedBesidesRecord(call, keys, mesh);
  }

  private LuaScript.Call deleteMeshCall(String mesh, OptionalLong expectedVersion) {
    return new LuaScript.Call()
        .key("record", keys.record(ResourceType.MESH, null, mesh))
        .key("index", keys.index(ResourceType.MESH, mesh))
        .key("events", keys.events(mesh))
        .key("sequence", keys.sequence(mesh))
        .key("dataplanes", keys.index(ResourceType.DATAPLANE, mesh))
        .key("secrets", keys.index(ResourceType.SECRET, mesh))
        .key("stats", keys.stats(mesh))
        .key("services", keys.statsServices(mesh))
        .key("names", keys.statsNames(mesh))
        .arg("expected", expected(expectedVersion))
        .arg("mesh", mesh)
        .arg("maxlen", settings.streamMaxLength())
        .arg("meshType", ResourceType.MESH.kumaName())
        .arg("secretPrefix", keys.recordPrefix(ResourceType.SECRET, mesh))
        .arg("secretType", ResourceType.SECRET.kumaName());
  }

  private static String expected(OptionalLong version) {
    return version.isPresent() ? String.valueOf(version.getAsLong()) : "";
  }

  /** The mesh an event is about: a Mesh's own name, none for global resources. */
  private static String eventMesh(ResourceType type, String mesh, String name) {
    if (type == ResourceType.MESH) {
      return name;
    }
    return mesh == null ? "" : mesh;
  }
}

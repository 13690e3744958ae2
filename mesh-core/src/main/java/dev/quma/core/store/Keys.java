package dev.quma.core.store;

import dev.quma.core.model.ResourceType;

/**
 * Every Redis key name, in one place. Keys carry a hash tag ({@code {mesh}}) so that everything a
 * script touches for one mesh sits in one Redis Cluster slot; global resources share the tag {@code
 * {@global}} ({@code @} cannot occur in a mesh name, so it never collides with one).
 *
 * <pre>
 * PREFIX:{TAG}:r:TYPE:NAME   hash: v (version), ct, mt, labels, spec, ti (tag index entries)
 * PREFIX:{TAG}:i:TYPE        zset of names (score 0, so ordered by name)
 * PREFIX:{TAG}:t:TYPE        zset "key\1value\1name" for tag filters
 * PREFIX:{TAG}:events        stream of changes (op, type, mesh, name, version)
 * PREFIX:{TAG}:seq           counter: every write takes the next version
 * PREFIX:{@global}:i:Mesh    zset of all mesh names (a secondary index kept beside each mesh's own)
 * PREFIX:{MESH}:insight:NAME  the xDS tier's DataplaneInsight (JSON)
 * PREFIX:{MESH}:lastseen     zset name -> last heartbeat (epoch ms) of every dataplane ever connected
 * PREFIX:{MESH}:online       zset name -> last heartbeat (epoch ms) of those with an open subscription
 * PREFIX:{MESH}:replicas     hash instance id -> "START:EXPIRES" (epoch ms) of the xDS replicas
 *                           serving the mesh: a subscription is live only while its replica's is
 * PREFIX:{MESH}:departures   hash name -> "left:MS" | "lost:MS": proxies whose last stream closed
 *                           (left) or broke (lost) at MS (epoch ms), until they connect again
 * PREFIX:{MESH}:probes       hash name -> "MS;R;PORT=H,...": the last service probe results of a
 *                           dataplane's proxy (HDS), since MS, until the dataplane is deleted
 * PREFIX:{MESH}:dataplane-token-serials  zset of every signing key serial ever used in the mesh
 * PREFIX:{MESH}:fence:LEASE  the newest token of lease LEASE that wrote in this mesh (older are refused)
 * PREFIX:{MESH}:stats       hash: the mesh's dataplane counters (by type and status, by version,
 *                           services by status), epoch (+1 per change), mt (last change, epoch ms)
 * PREFIX:{MESH}:stats:services  hash: per service, its dataplanes and its online ones
 * PREFIX:{MESH}:stats:names      hash: service name -> dataplanes carrying it (HLEN: distinct)
 * PREFIX:{MESH}:stats:rebuild:RUN:PART  a reconcile's counters while it rebuilds them (expire)
 * PREFIX:{MESH}:stats:reconcile  who reconciles the mesh's counters this interval (SET NX PX)
 * PREFIX:{MESH}:xds-dump:ID  list: the answer to one config dump request (short-lived)
 * PREFIX:xds-dump:INSTANCE   pub/sub channel (not a key) of the xDS replica INSTANCE's dump requests
 * PREFIX:{@global}:lease:NAME        a lease: "holder#token", with an expiry (SET NX PX)
 * PREFIX:{@global}:lease:NAME:epoch  counter: each acquisition of the lease takes the next token
 * PREFIX:{@global}:store-id  a random id written once in the store's life: a service that finds
 *                           another one (or none) knows the store lost its data
 * </pre>
 *
 * <p>The two heartbeat sets are what the lifecycle sweeps range over: {@code online} entries older
 * than the idle timeout are proxies that vanished (mark them offline and remove them from the set),
 * {@code lastseen} entries older than the cleanup age are candidates for deletion. Both lose the
 * dataplane's entry when the dataplane is deleted.
 *
 * <p>The lifecycle sweeps run under a lease whose token is a fencing value: the sweep scripts keep
 * the newest token per mesh in {@code fence:LEASE} and refuse a sweeper holding an older one, so a
 * sweeper that lost its lease while paused cannot write after its successor started.
 */
public final class Keys {
  public static final String GLOBAL_TAG = "@global";

  private final String prefix;

  public Keys(String prefix) {
    this.prefix = prefix;
  }

  public String prefix() {
    return prefix;
  }

  /** The hash tag of a resource: its mesh, the mesh itself for a Mesh, or the global tag. */
  public static String tagOf(ResourceType type, String mesh, String name) {
    if (type == ResourceType.MESH) {
      return name;
    }
    return type.meshScoped() ? mesh : GLOBAL_TAG;
  }

  private String base(String tag) {
    return prefix + ":{" + tag + "}:";
  }

  public String record(ResourceType type, String mesh, String name) {
    return recordPrefix(type, tagOf(type, mesh, name)) + name;
  }

  /** The record key without the name; scripts that cascade append names to it. */
  public String recordPrefix(ResourceType type, String tag) {
    return base(tag) + "r:" + type.kumaName() + ":";
  }

  /**
   * The name index in the resource's own slot (for a Mesh: a one-entry index in the mesh's slot).
   */
  public String index(ResourceType type, String tag) {
    return base(tag) + "i:" + type.kumaName();
  }

  public String tagIndex(ResourceType type, String tag) {
    return base(tag) + "t:" + type.kumaName();
  }

  public String events(String tag) {
    return base(tag) + "events";
  }

  public String sequence(String tag) {
    return base(tag) + "seq";
  }

  /** All meshes, in the global slot. */
  public String meshIndex() {
    return base(GLOBAL_TAG) + "i:Mesh";
  }

  public String insight(String mesh, String name) {
    return base(mesh) + "insight:" + name;
  }

  public String lastSeen(String mesh) {
    return base(mesh) + "lastseen";
  }

  public String online(String mesh) {
    return base(mesh) + "online";
  }

  /**
   * The xDS replicas serving the mesh: instance id -> "START:EXPIRES" (epoch ms: when the replica's
   * current run started, until when its last heartbeat vouches for it).
   */
  public String replicas(String mesh) {
    return base(mesh) + "replicas";
  }

  /**
   * The mesh's departed proxies: those whose last stream closed ({@code left:MS}) or broke ({@code
   * lost:MS}); an entry goes when the proxy connects again or its dataplane is deleted.
   */
  public String departures(String mesh) {
    return base(mesh) + "departures";
  }

  /**
   * The mesh's service probe results, as the proxies' health checks (HDS) last reported them; an
   * entry goes with its dataplane.
   */
  public String probes(String mesh) {
    return base(mesh) + "probes";
  }

  /**
   * Serial numbers of the mesh's dataplane token signing keys, including removed ones, so that a
   * serial (the tokens' {@code kid}) is never given to a second key. It outlives the mesh on
   * purpose: a mesh re-created under the same name goes on counting.
   */
  public String tokenKeySerials(String mesh) {
    return base(mesh) + "dataplane-token-serials";
  }

  /** The newest token of a lease that wrote in a mesh: scripts taking a fence refuse older ones. */
  public String fence(String mesh, String lease) {
    return base(mesh) + "fence:" + lease;
  }

  /**
   * The mesh's dataplane counters; a dataplane's record remembers what it adds to them (fields
   * {@code xs}, {@code xi}, {@code xc}, see {@code stats-lib.lua}).
   */
  public String stats(String mesh) {
    return base(mesh) + "stats";
  }

  /** Per service of the mesh: how many dataplanes carry it, and how many of them are online. */
  public String statsServices(String mesh) {
    return base(mesh) + "stats:services";
  }

  /** Per service name of the mesh: how many dataplanes carry it (its size: distinct services). */
  public String statsNames(String mesh) {
    return base(mesh) + "stats:names";
  }

  /** Where reconcile run {@code run} rebuilds part {@code part} (stats, services, names). */
  public String statsRebuild(String mesh, String run, String part) {
    return base(mesh) + "stats:rebuild:" + run + ":" + part;
  }

  /** Taken by the replica that reconciles the mesh's counters in this interval. */
  public String statsReconcileClaim(String mesh) {
    return base(mesh) + "stats:reconcile";
  }

  /** The list where the answer to one xDS config dump request is pushed. */
  public String xdsDumpReply(String mesh, String requestId) {
    return base(mesh) + "xds-dump:" + requestId;
  }

  /** The pub/sub channel on which xDS replica {@code instanceId} takes config dump requests. */
  public String xdsDumpChannel(String instanceId) {
    return prefix + ":xds-dump:" + instanceId;
  }

  /** A lease (who holds it, until it expires) in the global slot. */
  public String lease(String name) {
    return base(GLOBAL_TAG) + "lease:" + name;
  }

  /** The counter that gives each acquisition of a lease its token (beside the lease's key). */
  public String leaseEpoch(String name) {
    return lease(name) + ":epoch";
  }

  /** This control plane's cluster id (Kuma's {@code clusterId} in {@code GET /}). */
  public String clusterId() {
    return base(GLOBAL_TAG) + "cluster-id";
  }

  /** The store's identity: written once, re-read by every service to notice a wiped store. */
  public String storeId() {
    return base(GLOBAL_TAG) + "store-id";
  }

  /**
   * A marker in the default mesh's slot: the default mesh was created once and is not re-created.
   */
  public String defaultMeshMarker(String mesh) {
    return base(mesh) + "default-mesh-created";
  }
}

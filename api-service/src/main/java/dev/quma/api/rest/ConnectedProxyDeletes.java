package dev.quma.api.rest;

import dev.quma.api.ApiConfig;
import dev.quma.core.insight.ConnectedProxies;
import dev.quma.core.store.ResourceStore;
import dev.quma.http.errors.ApiException;
import dev.quma.http.errors.Errors;
import dev.quma.http.errors.KumaError;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.List;

/**
 * Deletes that would strand a connected proxy: a dataplane whose proxy holds a stream right now
 * (409 unless {@code ?force=true}; the xDS tier then ends the stream), and a mesh with any
 * connected proxy (409). Connected, for both: a heartbeat within {@code quma.api.connected-within}
 * and an open subscription whose xDS replica is alive by its own heartbeat ({@link
 * ConnectedProxies}, the rule the bootstrap and xDS tiers admit by).
 */
@ApplicationScoped
public class ConnectedProxyDeletes {
  private final ConnectedProxies connected;

  public ConnectedProxyDeletes(Redis redis, ResourceStore store, Clock clock, ApiConfig config) {
    this.connected = new ConnectedProxies(redis, store.keys(), clock, config.connectedWithin());
  }

  /** Fails with 409 when the dataplane's proxy is connected and the delete is not forced. */
  public Uni<Void> dataplane(String mesh, String name, String force) {
    boolean forced;
    try {
      forced = forced(force);
    } catch (ApiException e) {
      return Uni.createFrom().failure(e);
    }
    if (forced) {
      return Uni.createFrom().voidItem();
    }
    return connected
        .connectedNow(mesh, name)
        .map(
            live -> {
              if (live) {
                throw new ApiException(
                    409,
                    Errors.DELETE,
                    "the proxy of dataplane \""
                        + name
                        + "\" is connected right now: stop it first, or delete with ?force=true,"
                        + " which also ends its stream",
                    List.of(new KumaError.Cause("name", "has a connected proxy")));
              }
              return null;
            });
  }

  /** Fails with 409 when any proxy of the mesh is connected. */
  public Uni<Void> mesh(String mesh) {
    return connected
        .countConnected(mesh)
        .map(
            count -> {
              if (count > 0) {
                throw new ApiException(
                    409,
                    Errors.DELETE,
                    "mesh \""
                        + mesh
                        + "\" has "
                        + count
                        + (count == 1 ? " connected proxy" : " connected proxies")
                        + ": stop them (and delete their dataplanes) first",
                    List.of(new KumaError.Cause("name", "has connected proxies")));
              }
              return null;
            });
  }

  private static boolean forced(String force) {
    if (force == null || force.equals("false")) {
      return false;
    }
    if (force.equals("true")) {
      return true;
    }
    throw new ApiException(
        400,
        Errors.DELETE,
        "force must be true or false",
        List.of(new KumaError.Cause("force", "must be true or false")));
  }
}

package dev.quma.xds.snapshot;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.protobuf.Message;
import io.envoyproxy.controlplane.cache.VersionedResource;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One {@link VersionedResource} per distinct resource content. Proxies that need the same cluster,
 * listener or load assignment share one object (memory), its version stays the same as long as its
 * content does (Delta xDS sends only what changed), and java-control-plane's cached serializer
 * packs it once for all of them (CPU). Entries go away when no snapshot references them any more.
 */
final class ResourceInterner {
  private final Cache<Message, VersionedResource<?>> canonical =
      CacheBuilder.newBuilder().weakValues().build();
  private final AtomicLong versions = new AtomicLong();

  @SuppressWarnings("unchecked")
  <T extends Message> VersionedResource<T> intern(T resource) {
    try {
      return (VersionedResource<T>)
          canonical.get(
              resource,
              () ->
                  VersionedResource.create(
                      resource, Long.toString(versions.incrementAndGet(), 36)));
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  long size() {
    return canonical.size();
  }
}

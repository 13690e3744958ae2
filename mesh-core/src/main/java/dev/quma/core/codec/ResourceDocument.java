package dev.quma.core.codec;

import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceMeta;
import dev.quma.core.model.ResourceType;
import java.util.SortedMap;

/**
 * A resource as a client sent it: the meta fields as written (any of them may be null, the API
 * compares them with the URL) and the spec, already typed.
 */
public record ResourceDocument<S>(
    String type, String mesh, String name, SortedMap<String, String> labels, S spec) {

  /** The resource this document describes, named as given (use after checking the names). */
  public Resource<S> toResource(ResourceType resourceType) {
    return new Resource<>(
        ResourceMeta.of(
            resourceType,
            resourceType.meshScoped() ? mesh : null,
            name == null ? "" : name,
            labels),
        spec);
  }
}

package dev.quma.api.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quma.api.ApiConfig;
import dev.quma.core.codec.Format;
import dev.quma.core.codec.ResourceCodec;
import dev.quma.core.codec.ResourceDocument;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.ListQuery;
import dev.quma.core.store.Page;
import dev.quma.core.store.ResourceNotFoundException;
import dev.quma.core.store.ResourceQueries;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.WriteResult;
import dev.quma.core.validation.FieldPath;
import dev.quma.core.validation.MetaValidator;
import dev.quma.core.validation.ResourceValidator;
import dev.quma.core.validation.ValidationException;
import dev.quma.core.validation.Violation;
import dev.quma.http.errors.Errors;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * Kuma's four resource operations (get, list, create-or-update, delete) for any resource type. The
 * JAX-RS classes only bind paths to these. Versions travel as {@code ETag} / {@code If-Match}.
 */
@ApplicationScoped
public class ResourceEndpoints {
  private final ResourceStore store;
  private final ResourceQueries queries;
  private final ApiConfig config;
  private final ResourceCodec codec = ResourceCodec.instance();

  public ResourceEndpoints(ResourceStore store, ResourceQueries queries, ApiConfig config) {
    this.store = store;
    this.queries = queries;
    this.config = config;
  }

  public Uni<Response> get(ResourceType type, String mesh, String name, HttpHeaders headers) {
    Format format = Formats.wanted(headers);
    return store
        .get(type, mesh, name)
        .map(
            resource ->
                Response.ok(codec.encode(resource, format), Formats.mediaType(format))
                    .tag(etag(resource.version()))
                    .build())
        .onFailure()
        .transform(Errors.titled(Errors.RETRIEVE_ONE));
  }

  /** A page of resources in one mesh ({@code mesh} non-null) or across all of them. */
  public Uni<Response> list(ResourceType type, String mesh, UriInfo uri, HttpHeaders headers) {
    return list(
        type,
        mesh,
        uri,
        headers,
        page ->
            Uni.createFrom()
                .item(page.items().stream().map(r -> (Object) codec.toTree(r)).toList()));
  }

  /**
   * A page, with each item rendered by {@code render} (which may read more, e.g. insights). A mesh
   * that does not exist is a 404, rather than an empty list that hides a typo.
   */
  public Uni<Response> list(
      ResourceType type,
      String mesh,
      UriInfo uri,
      HttpHeaders headers,
      Function<Page<Resource<?>>, Uni<List<Object>>> render) {
    return list(type, mesh, Paging.query(uri, config.maxPageSize()), uri, headers, render);
  }

  /** A page for an already parsed query (e.g. with the overviews' gateway filter). */
  public Uni<Response> list(
      ResourceType type,
      String mesh,
      ListQuery query,
      UriInfo uri,
      HttpHeaders headers,
      Function<Page<Resource<?>>, Uni<List<Object>>> render) {
    Format format = Formats.wanted(headers);
    Uni<Page<Resource<?>>> page =
        mesh == null
            ? queries.listAcrossMeshes(type, query)
            : requireMesh(mesh).flatMap(x -> queries.list(type, mesh, query));
    return page.flatMap(
            p -> render.apply(p).map(items -> listBody(p, items, Paging.next(uri, query, p))))
        .map(body -> Response.ok(codec.write(body, format), Formats.mediaType(format)).build())
        .onFailure()
        .transform(Errors.titled(Errors.RETRIEVE_MANY));
  }

  /** Kuma's PUT: 201 when created, 200 when updated; {@code If-Match} makes it conditional. */
  public Uni<Response> put(
      ResourceType type, String mesh, String name, byte[] body, HttpHeaders headers) {
    Resource<?> resource;
    OptionalLong expected;
    try {
      ResourceDocument<?> document = codec.decode(body, Formats.ofBody(headers), type);
      resource = checked(type, mesh, name, document);
      expected = ifMatch(headers);
    } catch (RuntimeException e) {
      return Uni.createFrom().failure(Errors.translate(e, Errors.PROCESS));
    }
    return store
        .put(resource, expected)
        .map(result -> written(result))
        .onFailure()
        .transform(Errors.titled(Errors.PROCESS));
  }

  public Uni<Response> delete(ResourceType type, String mesh, String name, HttpHeaders headers) {
    OptionalLong expected;
    try {
      expected = ifMatch(headers);
    } catch (RuntimeException e) {
      return Uni.createFrom().failure(Errors.translate(e, Errors.DELETE));
    }
    Uni<Void> meshCheck = type.meshScoped() ? requireMesh(mesh) : Uni.createFrom().voidItem();
    return meshCheck
        .flatMap(x -> store.delete(type, mesh, name, expected))
        .map(
            version ->
                Response.ok(codec.json().createObjectNode(), Formats.mediaType(Format.JSON))
                    .build())
        .onFailure()
        .transform(Errors.titled(Errors.DELETE));
  }

  /** Fails with {@link ResourceNotFoundException} (so 404) when the mesh does not exist. */
  public Uni<Void> requireMesh(String mesh) {
    if (!MetaValidator.isMeshReference(mesh)) {
      return Uni.createFrom().failure(new ResourceNotFoundException(ResourceType.MESH, null, mesh));
    }
    return store
        .find(ResourceType.MESH, null, mesh)
        .map(
            found -> {
              if (found.isEmpty()) {
                throw new ResourceNotFoundException(ResourceType.MESH, null, mesh);
              }
              return null;
            });
  }

  /**
   * The resource to store: the body's names must equal the URL's (Kuma's rule), and every violation
   * of names, labels and spec is reported together.
   */
  private static Resource<?> checked(
      ResourceType type, String mesh, String name, ResourceDocument<?> document) {
    List<Violation> violations = new ArrayList<>();
    if (!type.kumaName().equals(document.type())) {
      violations.add(new Violation("type", "type from the URL has to be the same as in body"));
    }
    if (!name.equals(document.name())) {
      violations.add(new Violation("name", "name from the URL has to be the same as in body"));
    }
    if (type.meshScoped() && !Objects.equals(mesh, document.mesh())) {
      violations.add(new Violation("mesh", "mesh from the URL has to be the same as in body"));
    }
    Resource<?> resource =
        new ResourceDocument<>(
                document.type(),
                type.meshScoped() ? mesh : null,
                name,
                document.labels(),
                document.spec())
            .toResource(type);
    try {
      ResourceValidator.validate(resource);
    } catch (ValidationException e) {
      violations.addAll(e.violations());
    }
    if (!violations.isEmpty()) {
      throw new ValidationException(violations);
    }
    return resource;
  }

  private Response written(WriteResult result) {
    ObjectNode body = codec.json().createObjectNode();
    body.putArray("warnings");
    return Response.status(result.created() ? 201 : 200)
        .entity(codec.write(body, Format.JSON))
        .type(Formats.mediaType(Format.JSON))
        .tag(etag(result.version()))
        .build();
  }

  private ObjectNode listBody(Page<?> page, List<Object> items, String next) {
    ObjectNode body = codec.json().createObjectNode();
    body.put("total", page.total());
    ArrayNode array = body.putArray("items");
    for (Object item : items) {
      // Trees go in as they are, other items are serialised with the body: no copy of either.
      if (item instanceof JsonNode node) {
        array.add(node);
      } else {
        array.addPOJO(item);
      }
    }
    if (next == null) {
      body.putNull("next");
    } else {
      body.put("next", next);
    }
    return body;
  }

  static EntityTag etag(long version) {
    return new EntityTag(String.valueOf(version));
  }

  /**
   * The version in {@code If-Match} ({@code "12"}, {@code W/"12"} or {@code 12}); empty when
   * absent.
   */
  static OptionalLong ifMatch(HttpHeaders headers) {
    String value = headers.getHeaderString(HttpHeaders.IF_MATCH);
    if (value == null || value.isBlank()) {
      return OptionalLong.empty();
    }
    String version = value.trim();
    if (version.startsWith("W/")) {
      version = version.substring(2);
    }
    version = version.replace("\"", "");
    try {
      return OptionalLong.of(Long.parseLong(version));
    } catch (NumberFormatException e) {
      throw new ValidationException(
          List.of(
              new Violation(
                  FieldPath.of("If-Match").text(),
                  "must be the ETag of the resource, e.g. \"12\"")));
    }
  }
}

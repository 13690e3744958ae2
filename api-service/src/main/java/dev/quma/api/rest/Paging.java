package dev.quma.api.rest;

import dev.quma.core.store.ListQuery;
import dev.quma.core.store.Page;
import dev.quma.http.errors.ApiException;
import dev.quma.http.errors.Errors;
import dev.quma.http.errors.KumaError;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Kuma's list parameters ({@code size}, {@code offset}, {@code name}, {@code tag=key:value}, and
 * for overviews {@code gateway}) and {@code next} links.
 */
public final class Paging {
  private Paging() {}

  public static ListQuery query(UriInfo uri, int maxPageSize) {
    MultivaluedMap<String, String> params = uri.getQueryParameters();
    int size = ListQuery.DEFAULT_SIZE;
    String sizeParam = params.getFirst("size");
    if (sizeParam != null && !sizeParam.isEmpty()) {
      try {
        size = Integer.parseInt(sizeParam);
      } catch (NumberFormatException e) {
        throw invalid("Invalid page size", "size", "Invalid format");
      }
      if (size < 1) {
        throw invalid("Invalid page size", "size", "must be a positive number");
      }
      if (size > maxPageSize) {
        throw invalid(
            "Invalid page size",
            "size",
            "Invalid page size of " + size + ". Maximum page size is " + maxPageSize);
      }
    }
    long offset = 0;
    String offsetParam = params.getFirst("offset");
    if (offsetParam != null && !offsetParam.isEmpty()) {
      try {
        offset = Long.parseLong(offsetParam);
      } catch (NumberFormatException e) {
        throw invalid("Invalid offset", "offset", "Invalid format");
      }
      if (offset < 0) {
        throw invalid("Invalid offset", "offset", "must not be negative");
      }
    }
    TreeMap<String, String> tags = new TreeMap<>();
    for (String tag : params.getOrDefault("tag", List.of())) {
      int colon = tag.indexOf(':');
      // Tag keys may contain ':' only in theory; Kuma splits at the first one too.
      if (colon <= 0) {
        throw invalid("Invalid tag filter", "tag", "must be key:value, got \"" + tag + "\"");
      }
      tags.put(tag.substring(0, colon), tag.substring(colon + 1));
    }
    return new ListQuery(offset, size, params.getFirst("name"), tags);
  }

  /**
   * {@link #query} plus Kuma's overview filter {@code gateway=true|false|builtin|delegated}
   * (case-insensitive).
   */
  public static ListQuery overviewQuery(UriInfo uri, int maxPageSize) {
    ListQuery query = query(uri, maxPageSize);
    String gateway = uri.getQueryParameters().getFirst("gateway");
    if (gateway == null || gateway.isEmpty()) {
      return query;
    }
    ListQuery.GatewayFilter filter =
        switch (gateway.toLowerCase(java.util.Locale.ROOT)) {
          case "true" -> ListQuery.GatewayFilter.GATEWAY;
          case "false" -> ListQuery.GatewayFilter.NOT_GATEWAY;
          case "builtin" -> ListQuery.GatewayFilter.BUILTIN;
          case "delegated" -> ListQuery.GatewayFilter.DELEGATED;
          default ->
              throw invalid(
                  "Invalid gateway filter",
                  "gateway",
                  "must be true, false, builtin or delegated, got \"" + gateway + "\"");
        };
    return query.withGateway(filter);
  }

  /**
   * The absolute URL of the next page, keeping the other query parameters; null on the last page.
   * It starts with {@code rootUrl} when one is configured (the API's address behind a proxy, as
   * Kuma's {@code KUMA_API_SERVER_ROOT_URL}), else with the scheme and host the request named.
   */
  public static String next(UriInfo uri, ListQuery query, Page<?> page, Optional<String> rootUrl) {
    if (page.nextOffset().isEmpty()) {
      return null;
    }
    URI next =
        uri.getRequestUriBuilder()
            .replaceQueryParam("offset", page.nextOffset().getAsLong())
            .replaceQueryParam("size", query.size())
            .build();
    if (rootUrl.isEmpty()) {
      return next.toString();
    }
    String root = rootUrl.get().replaceAll("/+$", "");
    return root + next.getRawPath() + (next.getRawQuery() == null ? "" : "?" + next.getRawQuery());
  }

  private static ApiException invalid(String detail, String field, String message) {
    return new ApiException(
        400, Errors.RETRIEVE_MANY, detail, List.of(new KumaError.Cause(field, message)));
  }
}

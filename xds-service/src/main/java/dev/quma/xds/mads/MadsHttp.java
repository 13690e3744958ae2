package dev.quma.xds.mads;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.quma.core.runtime.GoDuration;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * MADS over HTTP as Prometheus's {@code kuma_sd} uses it: {@code POST
 * /v3/discovery:monitoringassignments} with a JSON {@code DiscoveryRequest}, answered with the
 * assignments as a JSON {@code DiscoveryResponse}. A request naming the current version is held
 * until the assignments change, or answered {@code 304 Not Modified} after its {@code
 * fetch-timeout} (a Go duration in the query; Prometheus sends its own, 2m by default). The same
 * assignments are also served in Prometheus's HTTP SD format ({@link HttpSdTargets}).
 */
public final class MadsHttp {
  public static final String PATH = "/v3/discovery:monitoringassignments";
  static final int MAX_BODY = 64 * 1024;
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().usingTypeRegistry(AssignmentMessages.REGISTRY);
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

  private final AssignmentCache cache;
  private final AssignmentWaits waits;
  private final MadsConfig config;
  private final BooleanSupplier ready;

  /**
   * @param ready whether the mesh views are loaded; before, an empty answer would make Prometheus
   *     drop every target, so it is told to come back (503)
   */
  public MadsHttp(
      AssignmentCache cache, AssignmentWaits waits, MadsConfig config, BooleanSupplier ready) {
    this.cache = cache;
    this.waits = waits;
    this.config = config;
    this.ready = ready;
  }

  public void handle(HttpServerRequest request) {
    HttpServerResponse response = request.response();
    if (HttpSdTargets.PATH.equals(request.path())) {
      httpSd(request, response);
      return;
    }
    if (!PATH.equals(request.path())) {
      error(
          response,
          404,
          "Not Found",
          "MADS is served at POST "
              + PATH
              + " (and as Prometheus HTTP SD at GET "
              + HttpSdTargets.PATH
              + ")");
      return;
    }
    if (request.method() != HttpMethod.POST) {
      response.putHeader("Allow", "POST");
      error(response, 405, "Method Not Allowed", PATH + " takes POST with a DiscoveryRequest");
      return;
    }
    Duration timeout;
    try {
      timeout = fetchTimeout(request.getParam("fetch-timeout"));
    } catch (IllegalArgumentException e) {
      error(response, 400, "Bad Request", "fetch-timeout: " + e.getMessage());
      return;
    }
    Buffer body = Buffer.buffer();
    request.handler(
        chunk -> {
          if (body.length() + chunk.length() > MAX_BODY) {
            if (!response.ended()) {
              error(
                  response, 413, "Request body too large", "a DiscoveryRequest is at most 64 KiB");
              request.connection().close();
            }
            return;
          }
          body.appendBuffer(chunk);
        });
    request.endHandler(
        x -> {
          if (!response.ended()) {
            answer(body, timeout, response);
          }
        });
  }

  private void answer(Buffer body, Duration timeout, HttpServerResponse response) {
    DiscoveryRequest.Builder discovery = DiscoveryRequest.newBuilder();
    try {
      String text = body.toString(StandardCharsets.UTF_8);
      if (!text.isBlank()) {
        PARSER.merge(text, discovery);
      }
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      error(response, 400, "Bad Request", "the body is not a DiscoveryRequest: " + e.getMessage());
      return;
    }
    String typeUrl = discovery.getTypeUrl();
    if (!typeUrl.isEmpty() && !typeUrl.equals(AssignmentMessages.TYPE_URL)) {
      error(
          response,
          400,
          "Bad Request",
          "type_url: this server serves " + AssignmentMessages.TYPE_URL + ", not " + typeUrl);
      return;
    }
    if (!ready.getAsBoolean()) {
      response.putHeader("Retry-After", "1");
      error(response, 503, "Service Unavailable", "the mesh views are still loading");
      return;
    }
    AssignmentCache.Current current = cache.current();
    String known = discovery.getVersionInfo();
    if (known.isEmpty() || !known.equals(current.version()) || timeout.isZero()) {
      if (!known.isEmpty() && known.equals(current.version())) {
        response.setStatusCode(304).end();
      } else {
        send(response, current);
      }
      return;
    }
    AssignmentWaits.Wait wait =
        waits.changedFrom(
            known,
            timeout,
            changed -> {
              if (response.ended() || response.closed()) {
                return;
              }
              if (changed == null) {
                response.setStatusCode(304).end();
              } else {
                send(response, changed);
              }
            });
    response.closeHandler(x -> wait.cancel());
  }

  /** {@code GET /http-sd}: the same assignments for Prometheus's {@code http_sd_configs}. */
  private void httpSd(HttpServerRequest request, HttpServerResponse response) {
    if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
      response.putHeader("Allow", "GET, HEAD");
      error(response, 405, "Method Not Allowed", HttpSdTargets.PATH + " takes GET");
      return;
    }
    if (!ready.getAsBoolean()) {
      response.putHeader("Retry-After", "1");
      error(response, 503, "Service Unavailable", "the mesh views are still loading");
      return;
    }
    response
        .putHeader("Content-Type", "application/json")
        .end(HttpSdTargets.of(cache.current().assignments()).encode());
  }

  private Duration fetchTimeout(String param) {
    if (param == null || param.isBlank()) {
      return config.defaultFetchTimeout();
    }
    Duration asked = GoDuration.parse(param.trim());
    if (asked.isNegative()) {
      throw new IllegalArgumentException("must not be negative");
    }
    return asked.compareTo(config.maxFetchTimeout()) > 0 ? config.maxFetchTimeout() : asked;
  }

  static DiscoveryResponse response(AssignmentCache.Current current) {
    return DiscoveryResponse.newBuilder()
        .setVersionInfo(current.version())
        .setTypeUrl(AssignmentMessages.TYPE_URL)
        .setNonce(current.version())
        .addAllResources(current.resources())
        .build();
  }

  private static void send(HttpServerResponse response, AssignmentCache.Current current) {
    String json;
    try {
      json = PRINTER.print(response(current));
    } catch (InvalidProtocolBufferException e) {
      error(response, 500, "Internal Server Error", "could not print the assignments");
      return;
    }
    response.putHeader("Content-Type", "application/json").end(json);
  }

  static void error(HttpServerResponse response, int status, String title, String detail) {
    JsonObject body =
        new JsonObject()
            .put("type", "/std-errors")
            .put("status", status)
            .put("title", title)
            .put("detail", detail)
            .put("details", detail);
    response.setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
  }
}

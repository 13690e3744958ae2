package dev.quma.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;

/** Calls the token-service; turns its Kuma error bodies into one readable message. */
final class TokenServiceClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final String adminToken;
  private final Duration timeout;
  private final HttpClient http;

  TokenServiceClient(String address, String adminToken, Duration timeout) {
    this.base = baseUri(address);
    this.adminToken = adminToken;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  String issueDataplaneToken(Map<String, Object> request) {
    HttpRequest.Builder builder;
    try {
      builder =
          HttpRequest.newBuilder(base.resolve("/tokens/dataplane"))
              .timeout(timeout)
              .header("Content-Type", "application/json")
              .header("Accept", "text/plain, application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(request)));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    if (adminToken != null) {
      builder.header("Authorization", "Bearer " + adminToken);
    }
    HttpResponse<String> response = send(builder.build());
    if (response.statusCode() != 200) {
      throw new CliException(QumaCtl.REFUSED, describe(response));
    }
    return response.body();
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (HttpConnectTimeoutException | ConnectException e) {
      throw unreachable("nothing answers");
    } catch (HttpTimeoutException e) {
      throw unreachable("no answer within " + timeout.toSeconds() + " s");
    } catch (IOException e) {
      throw unreachable(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unreachable("interrupted");
    }
  }

  private CliException unreachable(String why) {
    return new CliException(
        QumaCtl.UNREACHABLE,
        "could not reach the token-service at "
            + base
            + " ("
            + why
            + "); is it running? (--cp-address)");
  }

  /** "400 Invalid request: Resource is not valid; validFor: is invalid: ...". */
  static String describe(HttpResponse<String> response) {
    StringBuilder out = new StringBuilder("the token-service answered " + response.statusCode());
    try {
      JsonNode error = JSON.readTree(response.body());
      if (error != null && error.isObject()) {
        appendText(out, error.get("title"), ": ");
        appendText(out, error.get("detail"), ": ");
        JsonNode parameters = error.get("invalid_parameters");
        if (parameters != null && parameters.isArray()) {
          for (JsonNode parameter : parameters) {
            out.append("\n  ");
            String field = parameter.path("field").asText("");
            if (!field.isEmpty()) {
              out.append(field).append(": ");
            }
            out.append(parameter.path("reason").asText(""));
          }
        }
        return out.toString();
      }
    } catch (IOException e) {
      // not JSON: show it as it is
    }
    if (!response.body().isBlank()) {
      out.append(": ").append(response.body().strip());
    }
    return out.toString();
  }

  private static void appendText(StringBuilder out, JsonNode value, String separator) {
    if (value != null && value.isTextual() && !value.textValue().isEmpty()) {
      out.append(separator).append(value.textValue());
    }
  }

  private static URI baseUri(String address) {
    try {
      URI uri = URI.create(address);
      if (uri.getScheme() == null
          || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
          || uri.getHost() == null) {
        throw new IllegalArgumentException();
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new CliException(
          QumaCtl.USAGE, "--cp-address must be like http://host:5683, got \"" + address + "\"");
    }
  }
}

package dev.quma.core.dump;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * A request for the config that an xDS replica sent one proxy, and what the proxy made of it. The
 * API publishes it on the channel of the replica that holds the proxy's stream ({@code
 * Keys#xdsDumpChannel}); the replica pushes a {@link ConfigDumpReply} onto the request's reply list
 * ({@code Keys#xdsDumpReply(mesh, id)}), which the API waits on with BLPOP.
 *
 * @param subscriptionId the insight's open subscription: picks the stream when the proxy briefly
 *     has two on the replica
 * @param includeEndpoints Envoy's {@code include_eds}
 */
public record ConfigDumpRequest(
    String id, String mesh, String name, String subscriptionId, boolean includeEndpoints) {

  /** How long an unread reply stays in Redis (the requester gave up long before). */
  public static final Duration REPLY_EXPIRES = Duration.ofSeconds(60);

  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public String encode() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The request in a message, or an IllegalArgumentException naming what is wrong. */
  public static ConfigDumpRequest decode(String message) {
    ConfigDumpRequest request;
    try {
      request = JSON.readValue(message, ConfigDumpRequest.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a config dump request: " + e.getOriginalMessage());
    }
    if (request.id() == null || request.mesh() == null || request.name() == null) {
      throw new IllegalArgumentException("a config dump request needs id, mesh and name");
    }
    return request;
  }
}

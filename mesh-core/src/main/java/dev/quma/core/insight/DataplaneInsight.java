package dev.quma.core.insight;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the xDS tier knows of a dataplane's connections, in Kuma's {@code DataplaneInsight} shape.
 * Counters are uint64 in Kuma's protobuf, so they are written as JSON strings, as protobuf JSON
 * does.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DataplaneInsight(
    List<DiscoverySubscription> subscriptions,
    @JsonProperty("mTLS") Map<String, Object> mTLS,
    Map<String, Object> metadata) {

  public static final DataplaneInsight EMPTY = new DataplaneInsight(List.of(), null, null);

  public DataplaneInsight {
    subscriptions = subscriptions == null ? List.of() : List.copyOf(subscriptions);
  }

  /** Online: some subscription is connected and not disconnected. */
  public boolean online() {
    return subscriptions.stream()
        .anyMatch(s -> s.connectTime() != null && s.disconnectTime() == null);
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DiscoverySubscription(
      String id,
      String controlPlaneInstanceId,
      Instant connectTime,
      Instant disconnectTime,
      DiscoveryServiceStats status,
      Version version,
      @JsonFormat(shape = JsonFormat.Shape.STRING) long generation) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DiscoveryServiceStats(
      Instant lastUpdateTime, Stats total, Stats cds, Stats eds, Stats lds, Stats rds) {}

  public record Stats(
      @JsonFormat(shape = JsonFormat.Shape.STRING) long responsesSent,
      @JsonFormat(shape = JsonFormat.Shape.STRING) long responsesAcknowledged,
      @JsonFormat(shape = JsonFormat.Shape.STRING) long responsesRejected) {
    public static final Stats ZERO = new Stats(0, 0, 0);
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Version(KumaDp kumaDp, Envoy envoy, Map<String, String> dependencies) {
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record KumaDp(
        String version,
        String gitTag,
        String gitCommit,
        String buildDate,
        Boolean kumaCpCompatible) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Envoy(String version, String build, Boolean kumaDpCompatible) {}
  }
}

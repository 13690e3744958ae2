package dev.quma.core.stats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.core.codec.Format;
import dev.quma.core.codec.ResourceCodec;
import dev.quma.core.insight.DataplaneInsight;
import dev.quma.core.model.Dataplane;
import dev.quma.core.model.ResourceType;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The classes a dataplane is counted by, for Kuma's status rules. */
class DataplaneClassTest {

  @Test
  void aStandardDataplaneIsReadyDegradedOrDownByItsCountedInbounds() {
    assertThat(DataplaneClass.ofSpec(inbounds("{port: 1, tags: {kuma.io/service: a}}")))
        .isEqualTo("standard\tready\tinternal\1a");
    assertThat(
            DataplaneClass.ofSpec(
                inbounds(
                    "{port: 1, health: {ready: false}, tags: {kuma.io/service: a}}",
                    "{port: 2, tags: {kuma.io/service: b}}")))
        .isEqualTo("standard\tdegraded\tinternal\1a\tinternal\1b");
    assertThat(
            DataplaneClass.ofSpec(
                inbounds(
                    "{port: 1, state: NotReady, tags: {kuma.io/service: a}}",
                    "{port: 2, state: Ignored, tags: {kuma.io/service: b}}")))
        .as("an Ignored inbound neither counts nor carries its service")
        .isEqualTo("standard\tdown\tinternal\1a");
    assertThat(
            DataplaneClass.ofSpec(
                inbounds(
                    "{port: 1, state: Ready, health: {ready: false}, tags: {kuma.io/service: a}}")))
        .as("Kuma: not ready when health says so, whatever the state")
        .isEqualTo("standard\tdown\tinternal\1a");
    assertThat(
            DataplaneClass.ofSpec(
                inbounds(
                    "{port: 1, tags: {kuma.io/service: a}}",
                    "{port: 2, tags: {kuma.io/service: a}}")))
        .as("a service counts once per dataplane")
        .isEqualTo("standard\tready\tinternal\1a");
  }

  @Test
  void probedInboundsAreListedOneByOneForTheCountersToJoinWithProbeResults() {
    assertThat(
            DataplaneClass.ofSpec(
                inbounds(
                    "{port: 1, serviceProbe: {tcp: {}}, tags: {kuma.io/service: a}}",
                    "{port: 2, health: {ready: false}, tags: {kuma.io/service: b}}",
                    "{port: 3, state: Ignored, tags: {kuma.io/service: c}}")))
        .isEqualTo("standard\tp1=1p,2=0\tinternal\1a\tinternal\1b");
  }

  @Test
  void aGatewayIsCountedByItsType() {
    assertThat(DataplaneClass.ofSpec(gateway("type: BUILTIN")))
        .isEqualTo("gatewayBuiltin\tdown\tgatewayBuiltin\1edge");
    assertThat(DataplaneClass.ofSpec(gateway("type: DELEGATED")))
        .isEqualTo("gatewayDelegated\tdown\tgatewayDelegated\1edge");
    assertThat(DataplaneClass.ofSpec(gateway("{}")))
        .as("DELEGATED is the default type, as in Kuma")
        .startsWith("gatewayDelegated\t");
  }

  @Test
  void versionsAreCountedAsLabelsWithoutSeparators() {
    DataplaneInsight.Version version =
        new DataplaneInsight.Version(
            new DataplaneInsight.Version.KumaDp("2.9.1", null, null, null, null),
            new DataplaneInsight.Version.Envoy("1.30.2\tx", null, null),
            null);
    assertThat(DataplaneClass.kumaDpVersion(version)).isEqualTo("2.9.1");
    assertThat(DataplaneClass.envoyVersion(version)).isEqualTo("1.30.2_x");
    assertThat(DataplaneClass.kumaDpVersion(null)).isEmpty();
    assertThat(DataplaneClass.label("v".repeat(100))).hasSize(DataplaneClass.MAX_LABEL);
  }

  private static Dataplane inbounds(String... inbounds) {
    return spec("networking: {address: 10.0.0.1, inbound: [" + String.join(", ", inbounds) + "]}");
  }

  private static Dataplane gateway(String type) {
    String typed = type.equals("{}") ? "" : type + ", ";
    return spec(
        "networking: {address: 10.0.0.1, gateway: {" + typed + "tags: {kuma.io/service: edge}}}");
  }

  private static Dataplane spec(String networking) {
    String yaml = "type: Dataplane\nmesh: default\nname: dp\n" + networking + "\n";
    return ResourceCodec.instance()
        .<Dataplane>decode(
            yaml.getBytes(StandardCharsets.UTF_8), Format.YAML, ResourceType.DATAPLANE)
        .spec();
  }
}

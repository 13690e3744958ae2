package dev.quma.xds.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quma.xds.config.XdsConfig.DataplaneAuthn;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Kuma's spelling of the dataplane authentication setting ({@code dpToken}) is read as ours, and a
 * typo is refused rather than read as "no authentication".
 */
class DataplaneAuthnConfigTest {

  @Test
  void kumaAndQumaSpellingsAreAccepted() {
    assertThat(authn("dpToken")).isEqualTo(DataplaneAuthn.DP_TOKEN);
    assertThat(authn("dp-token")).isEqualTo(DataplaneAuthn.DP_TOKEN);
    assertThat(authn("none")).isEqualTo(DataplaneAuthn.NONE);
  }

  @Test
  void anUnknownValueIsRefused() {
    assertThatThrownBy(() -> authn("dp-tokens")).hasMessageContaining("dp-tokens");
  }

  private static DataplaneAuthn authn(String value) {
    return new SmallRyeConfigBuilder()
        .withDefaultValues(Map.of("quma.xds.dataplane-authn", value))
        .build()
        .getValue("quma.xds.dataplane-authn", DataplaneAuthn.class);
  }
}

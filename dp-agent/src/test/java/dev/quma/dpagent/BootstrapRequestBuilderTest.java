package dev.quma.dpagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class BootstrapRequestBuilderTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void directModeSendsTheResourceAsJsonWithItsNames() throws Exception {
    String rendered =
        "type: Dataplane\nmesh: default\nname: redis-1\nnetworking:\n  address: 192.168.0.1\n";
    JsonNode request =
        JSON.readTree(
            new BootstrapRequestBuilder().dataplane(rendered).token("T").adminPort(9911).toJson());
    assertThat(request.get("mesh").asText()).isEqualTo("default");
    assertThat(request.get("name").asText()).isEqualTo("redis-1");
    assertThat(request.get("proxyType").asText()).isEqualTo("dataplane");
    assertThat(request.get("dataplaneToken").asText()).isEqualTo("T");
    assertThat(request.get("adminPort").asInt()).isEqualTo(9911);
    JsonNode resource = JSON.readTree(request.get("dataplaneResource").asText());
    assertThat(resource.at("/networking/address").asText()).isEqualTo("192.168.0.1");
    assertThat(request.at("/version/kumaDp/version").asText())
        .isEqualTo(BootstrapRequestBuilder.AGENT_VERSION);
  }

  @Test
  void indirectModeSendsNamesOnly() throws Exception {
    JsonNode request =
        JSON.readTree(new BootstrapRequestBuilder().names("default", "web-1").token("T").toJson());
    assertThat(request.get("name").asText()).isEqualTo("web-1");
    assertThat(request.has("dataplaneResource")).isFalse();
    assertThat(request.has("adminPort")).isFalse();
  }

  @Test
  void aResourceThatIsNotAnObjectIsABadResource() {
    assertThatThrownBy(() -> new BootstrapRequestBuilder().dataplane("- a\n- b\n"))
        .isInstanceOf(AgentException.class)
        .extracting(e -> ((AgentException) e).exitCode())
        .isEqualTo(ExitCodes.BAD_RESOURCE);
    assertThatThrownBy(() -> new BootstrapRequestBuilder().dataplane("a: [b\n"))
        .isInstanceOf(AgentException.class)
        .hasMessageContaining("not valid YAML");
  }

  @Test
  void goDurations() {
    assertThat(GoDurations.parse("30s")).hasSeconds(30);
    assertThat(GoDurations.parse("1m30s")).hasSeconds(90);
    assertThat(GoDurations.parse("500ms")).hasMillis(500);
    assertThatThrownBy(() -> GoDurations.parse("30")).hasMessageContaining("not a duration");
  }
}

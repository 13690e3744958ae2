package dev.quma.dpagent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DataplaneTemplateTest {
  static final String SEEDS_BACKEND =
      """
      type: Dataplane
      mesh: default
      name: { { name } }
      networking:
        address: { { address } }
        inbound:
          - port: 8000
            servicePort: 80
            tags:
              kuma.io/service: backend
              kuma.io/protocol: http
      """;

  @Test
  void rendersTheSeedsSpacedForm() {
    String rendered =
        DataplaneTemplate.render(
            SEEDS_BACKEND, Map.of("name", "my-backend-dp", "address", "192.168.0.2"));
    assertThat(rendered)
        .contains("name: my-backend-dp\n")
        .contains("address: 192.168.0.2\n")
        .doesNotContain("{");
  }

  @Test
  void rendersTheUsualForm() {
    assertThat(
            DataplaneTemplate.render(
                "name: {{ name }}\naddress: {{address}}\n",
                Map.of("name", "web-1", "address", "10.0.0.2")))
        .isEqualTo("name: web-1\naddress: 10.0.0.2\n");
  }

  @Test
  void valuesAreNotHtmlEscaped() {
    assertThat(DataplaneTemplate.render("v: {{v}}", Map.of("v", "a&b<c>"))).isEqualTo("v: a&b<c>");
  }

  @Test
  void aMissingVariableIsNamed() {
    assertThatThrownBy(() -> DataplaneTemplate.render(SEEDS_BACKEND, Map.of("name", "x")))
        .isInstanceOf(AgentException.class)
        .hasMessageContaining("\"address\"")
        .hasMessageContaining("--dataplane-var address=")
        .extracting(e -> ((AgentException) e).exitCode())
        .isEqualTo(ExitCodes.BAD_VAR);
  }

  @Test
  void aFileWithoutVariablesIsLeftAlone() {
    String plain = "type: Dataplane\nnetworking:\n  inbound: []\n  tags: {a: b}\n";
    assertThat(DataplaneTemplate.render(plain, Map.of())).isEqualTo(plain);
  }

  @Test
  void malformedVarsAreRefused() {
    assertThatThrownBy(() -> DataplaneVars.parse(java.util.List.of("name")))
        .isInstanceOf(AgentException.class)
        .hasMessageContaining("key=value")
        .extracting(e -> ((AgentException) e).exitCode())
        .isEqualTo(ExitCodes.BAD_VAR);
    assertThat(DataplaneVars.parse(java.util.List.of("name=a=b", "address=1.2.3.4")))
        .containsEntry("name", "a=b")
        .containsEntry("address", "1.2.3.4");
  }
}

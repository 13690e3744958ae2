package dev.quma.bootstrap.envoy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.bootstrap.BootstrapConfig.AdsApiType;
import dev.quma.bootstrap.testing.BootstrapRules;
import dev.quma.core.model.Dataplane;
import dev.quma.core.model.Resource;
import dev.quma.core.model.ResourceMeta;
import dev.quma.core.model.ResourceType;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvoyBootstrapFactoryTest {
  static final Resource<Dataplane> DATAPLANE =
      new Resource<>(
          ResourceMeta.of(ResourceType.DATAPLANE, "default", "web-1", Map.of()),
          new Dataplane(
              new Dataplane.Networking("10.0.0.1", null, null, List.of(), List.of(), null, null),
              null,
              null));

  static UpstreamTlsContext tls(String xdsHost) throws Exception {
    Bootstrap bootstrap =
        new EnvoyBootstrapFactory(new BootstrapSettings(xdsHost, 5678, AdsApiType.GRPC, 9901, "CA"))
            .build(new BootstrapInput(DATAPLANE, false, "t", null, null, null));
    BootstrapRules.assertValid(bootstrap);
    return bootstrap
        .getStaticResources()
        .getClusters(0)
        .getTransportSocket()
        .getTypedConfig()
        .unpack(UpstreamTlsContext.class);
  }

  @Test
  void sniNamesAHostButNeverAnIpLiteral() throws Exception {
    assertThat(tls("xds.quma-system.svc").getSni()).isEqualTo("xds.quma-system.svc");
    assertThat(tls("127.0.0.1").getSni()).isEmpty();
    assertThat(tls("fd00::1").getSni()).isEmpty();
    assertThat(
            tls("127.0.0.1")
                .getCommonTlsContext()
                .getValidationContext()
                .getTrustedCa()
                .getInlineString())
        .isEqualTo("CA");
  }

  @Test
  void adminPortComesFromTheDataplaneThenTheAgentThenTheDefault() {
    EnvoyBootstrapFactory factory =
        new EnvoyBootstrapFactory(new BootstrapSettings("x", 5678, AdsApiType.GRPC, 9901, null));
    Dataplane withAdmin =
        new Dataplane(
            new Dataplane.Networking(
                "10.0.0.1", null, null, List.of(), List.of(), null, new Dataplane.Admin(9911)),
            null,
            null);
    assertThat(factory.adminPort(withAdmin, 9922)).isEqualTo(9911);
    assertThat(factory.adminPort(DATAPLANE.spec(), 9922)).isEqualTo(9922);
    assertThat(factory.adminPort(DATAPLANE.spec(), null)).isEqualTo(9901);
    assertThat(
            factory
                .build(new BootstrapInput(DATAPLANE, false, "t", null, null, null))
                .getStaticResources()
                .getClusters(0)
                .hasTransportSocket())
        .as("plaintext to the xDS tier when no CA is configured")
        .isFalse();
  }
}

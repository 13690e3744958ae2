package dev.quma.envoysim.standin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quma.envoysim.SimulatedEnvoy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootstrapFileTest {
  @TempDir Path dir;

  @Test
  void readsAKumaStyleYamlBootstrapWithItsCaInAStaticSecret() throws IOException {
    String ca = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    Path file = dir.resolve("bootstrap.yaml");
    Files.writeString(
        file,
        """
        node:
          id: default.redis-1
          cluster: redis
          metadata:
            dataplane.proxyType: dataplane
            dataplane.admin.port: "9902"
            dataplane.resource: '{"type":"Dataplane","mesh":"default","name":"redis-1"}'
        admin:
          address:
            socketAddress: {address: 127.0.0.1, portValue: 9902}
        dynamicResources:
          adsConfig:
            apiType: DELTA_GRPC
            transportApiVersion: V3
            setNodeOnFirstMessageOnly: true
            grpcServices:
            - envoyGrpc: {clusterName: ads_cluster}
              initialMetadata:
              - {key: authorization, value: the-token}
          cdsConfig: {ads: {}, resourceApiVersion: V3}
          ldsConfig: {ads: {}, resourceApiVersion: V3}
        staticResources:
          secrets:
          - name: cp_validation_ctx
            validationContext:
              trustedCa: {inlineBytes: %s}
          clusters:
          - name: ads_cluster
            type: STRICT_DNS
            loadAssignment:
              clusterName: ads_cluster
              endpoints:
              - lbEndpoints:
                - endpoint:
                    address:
                      socketAddress: {address: xds.quma.internal, portValue: 5678}
            transportSocket:
              name: envoy.transport_sockets.tls
              typedConfig:
                '@type': type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext
                sni: xds.quma.internal
                commonTlsContext:
                  validationContextSdsSecretConfig: {name: cp_validation_ctx}
        """
            .formatted(Base64.getEncoder().encodeToString(ca.getBytes(StandardCharsets.UTF_8))));

    BootstrapFile bootstrap = BootstrapFile.read(file);

    assertThat(bootstrap.node().getId()).isEqualTo("default.redis-1");
    assertThat(bootstrap.node().getCluster()).isEqualTo("redis");
    assertThat(
            bootstrap
                .node()
                .getMetadata()
                .getFieldsMap()
                .get("dataplane.resource")
                .getStringValue())
        .contains("\"name\":\"redis-1\"");
    assertThat(bootstrap.adminPort()).isEqualTo(9902);
    assertThat(bootstrap.mode()).isEqualTo(SimulatedEnvoy.Mode.DELTA);
    assertThat(bootstrap.xdsHost()).isEqualTo("xds.quma.internal");
    assertThat(bootstrap.xdsPort()).isEqualTo(5678);
    assertThat(bootstrap.authorization()).isEqualTo("the-token");
    assertThat(bootstrap.trustedCaPem()).isEqualTo(ca);
    assertThat(bootstrap.sni()).isEqualTo("xds.quma.internal");
  }

  @Test
  void readsSnakeCaseJsonWithAnInlineCaAndStateOfTheWorld() throws IOException {
    Path file = dir.resolve("bootstrap.json");
    Files.writeString(
        file,
        """
        {"node": {"id": "default.backend-1", "cluster": "backend"},
         "admin": {"address": {"socket_address": {"address": "127.0.0.1", "port_value": 9901}}},
         "dynamic_resources": {"ads_config": {"api_type": "GRPC",
           "grpc_services": [{"envoy_grpc": {"cluster_name": "system_ads"}}]}},
         "static_resources": {"clusters": [
           {"name": "other"},
           {"name": "system_ads",
            "load_assignment": {"endpoints": [{"lb_endpoints": [{"endpoint": {"address":
              {"socket_address": {"address": "10.0.0.5", "port_value": 15678}}}}]}]},
            "transport_socket": {"typed_config": {"common_tls_context":
              {"validation_context": {"trusted_ca": {"inline_string": "PEM"}}}}}}]}}
        """);

    BootstrapFile bootstrap = BootstrapFile.read(file);

    assertThat(bootstrap.mode()).isEqualTo(SimulatedEnvoy.Mode.SOTW);
    assertThat(bootstrap.xdsHost()).isEqualTo("10.0.0.5");
    assertThat(bootstrap.xdsPort()).isEqualTo(15678);
    assertThat(bootstrap.adminPort()).isEqualTo(9901);
    assertThat(bootstrap.trustedCaPem()).isEqualTo("PEM");
    assertThat(bootstrap.tls()).isTrue();
    assertThat(bootstrap.authorization()).isNull();
  }

  @Test
  void namesWhatIsMissing() throws IOException {
    Path file = dir.resolve("bootstrap.yaml");
    Files.writeString(
        file,
        """
        node: {id: default.x}
        dynamicResources:
          adsConfig:
            grpcServices: [{envoyGrpc: {clusterName: ads_cluster}}]
        staticResources: {clusters: []}
        """);

    assertThatThrownBy(() -> BootstrapFile.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no static cluster named ads_cluster for the ADS server");
  }
}

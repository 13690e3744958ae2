package dev.quma.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.quma.bootstrap.testing.BootstrapRules;
import dev.quma.bootstrap.testing.BootstrapTestResources;
import dev.quma.bootstrap.testing.Fixtures;
import dev.quma.core.events.ChangeStream;
import dev.quma.core.insight.InsightWriter;
import dev.quma.core.store.ResourceStore;
import dev.quma.dpagent.DpAgent;
import dev.quma.dpagent.ExitCodes;
import dev.quma.testing.SeedDataplanes;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seeds' walkthrough with the real agent (in process) against the real bootstrap-service and a
 * real Redis: tokens issued here, the seeds' files with their variables, Direct and Indirect.
 */
@QuarkusTest
@QuarkusTestResource(value = BootstrapTestResources.class, restrictToAnnotatedClass = true)
class AgentBootstrapTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TestHTTPResource("/")
  URL cp;

  @Inject ResourceStore store;
  @Inject ChangeStream changes;
  @Inject InsightWriter insights;
  @TempDir Path dir;
  Fixtures fixtures;
  StringWriter out;
  StringWriter err;

  @BeforeEach
  void setUp() {
    fixtures = new Fixtures(store, changes, insights);
    fixtures.mesh("default");
    out = new StringWriter();
    err = new StringWriter();
  }

  int agent(String... options) {
    List<String> args = new ArrayList<>(List.of("run", "--cp-address=" + cp, "--bootstrap-only"));
    args.addAll(List.of(options));
    return DpAgent.run(
        new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
  }

  Path tokenFile(String name) throws Exception {
    Path file = dir.resolve("kuma-dp-" + name + "-token");
    Files.writeString(file, fixtures.token("default", name));
    return file;
  }

  JsonNode bootstrap(Path configDir) throws Exception {
    BootstrapRules.assertValid(Files.readString(configDir.resolve("bootstrap.yaml")));
    return new YAMLMapper().readTree(configDir.resolve("bootstrap.yaml").toFile());
  }

  @Test
  void redis1FromTheSeeds() throws Exception {
    Path config = dir.resolve("redis-1");
    int code =
        agent(
            "--dataplane-file=" + SeedDataplanes.file(SeedDataplanes.REDIS_FILE, dir),
            "--dataplane-token-file=" + tokenFile("redis-1"),
            "--config-dir=" + config);
    assertThat(code).as(err.toString()).isZero();
    JsonNode bootstrap = bootstrap(config);
    assertThat(bootstrap.at("/node/id").asText()).isEqualTo("default.redis-1");
    assertThat(bootstrap.at("/admin/address/socketAddress/portValue").asInt()).isEqualTo(9901);
    assertThat(
            bootstrap
                .at(
                    "/staticResources/clusters/0/loadAssignment/endpoints/0/lbEndpoints/0/endpoint/address/socketAddress")
                .toString())
        .contains("xds.test.internal", "15678");
    JsonNode resource = JSON.readTree(bootstrap.at("/node/metadata/dataplane.resource").asText());
    assertThat(resource.at("/networking/inbound/0/servicePort").asInt()).isEqualTo(6379);
    assertThat(out.toString())
        .contains("default.redis-1", config.resolve("bootstrap.yaml").toString());
  }

  @Test
  void everyBootstrapStartsANewProxyInstance() throws Exception {
    // The xDS tier tells a proxy reconnecting (same instance) from a second one under its name.
    List<String> instances = new ArrayList<>();
    for (String run : List.of("first", "second")) {
      Path config = dir.resolve("redis-1-" + run);
      int code =
          agent(
              "--dataplane-file=" + SeedDataplanes.file(SeedDataplanes.REDIS_FILE, dir),
              "--dataplane-token-file=" + tokenFile("redis-1"),
              "--config-dir=" + config);
      assertThat(code).as(err.toString()).isZero();
      instances.add(bootstrap(config).at("/node/metadata/quma.proxyInstance").asText());
    }
    assertThat(instances).allSatisfy(id -> assertThat(id).isNotBlank());
    assertThat(instances.get(0)).isNotEqualTo(instances.get(1));
  }

  @Test
  void backendTemplateWithVarsAndAnAdminPort() throws Exception {
    Path config = dir.resolve("backend");
    int code =
        agent(
            "--dataplane-file=" + SeedDataplanes.file(SeedDataplanes.BACKEND_TEMPLATE_FILE, dir),
            "--dataplane-var",
            "name=backend-1",
            "--dataplane-var",
            "address=192.168.0.2",
            "--dataplane-token-file=" + tokenFile("backend-1"),
            "--admin-port=9911",
            "--config-dir=" + config);
    assertThat(code).as(err.toString()).isZero();
    JsonNode bootstrap = bootstrap(config);
    assertThat(bootstrap.at("/node/id").asText()).isEqualTo("default.backend-1");
    assertThat(bootstrap.at("/node/cluster").asText()).isEqualTo("backend");
    assertThat(bootstrap.at("/admin/address/socketAddress/portValue").asInt()).isEqualTo(9911);
    JsonNode resource = JSON.readTree(bootstrap.at("/node/metadata/dataplane.resource").asText());
    assertThat(resource.at("/name").asText()).isEqualTo("backend-1");
    assertThat(resource.at("/networking/address").asText()).isEqualTo("192.168.0.2");
    assertThat(resource.at("/networking/outbound/0/port").asInt()).isEqualTo(10000);
  }

  @Test
  void aRedisTokenWithTheBackendFileIsRefused() throws Exception {
    int code =
        agent(
            "--dataplane-file=" + SeedDataplanes.file(SeedDataplanes.BACKEND_TEMPLATE_FILE, dir),
            "--dataplane-var=name=backend-1",
            "--dataplane-var=address=192.168.0.2",
            "--dataplane-token-file=" + tokenFile("redis-1"),
            "--config-dir=" + dir.resolve("refused"));
    assertThat(code).isEqualTo(ExitCodes.TOKEN_REFUSED);
    assertThat(err.toString()).contains("403").contains("\"redis-1\"").contains("\"backend-1\"");
    assertThat(dir.resolve("refused/bootstrap.yaml")).doesNotExist();
  }

  @Test
  void anInvalidResourceNamesTheField() throws Exception {
    int code =
        agent(
            "--dataplane-file=" + SeedDataplanes.file(SeedDataplanes.BACKEND_TEMPLATE_FILE, dir),
            "--dataplane-var=name=backend-9",
            "--dataplane-var=address=0.0.0.0",
            "--dataplane-token-file=" + tokenFile("backend-9"));
    assertThat(code).isEqualTo(ExitCodes.BAD_RESOURCE);
    assertThat(err.toString()).contains("networking.address");
  }

  @Test
  void indirectModeForADataplaneCreatedInTheStore() throws Exception {
    fixtures.store(SeedDataplanes.redis("default", "redis-ind", "10.0.9.1"));
    Path config = dir.resolve("indirect");
    int code =
        agent(
            "--mesh=default",
            "--name=redis-ind",
            "--dataplane-token-file=" + tokenFile("redis-ind"),
            "--config-dir=" + config);
    assertThat(code).as(err.toString()).isZero();
    JsonNode bootstrap = bootstrap(config);
    assertThat(bootstrap.at("/node/id").asText()).isEqualTo("default.redis-ind");
    assertThat(bootstrap.at("/node/metadata").has("dataplane.resource")).isFalse();
  }

  @Test
  void indirectModeWaitsForTheDataplaneThenGivesUp() throws Exception {
    int code =
        agent(
            "--mesh=default",
            "--name=not-yet",
            "--dataplane-token-file=" + tokenFile("not-yet"),
            "--bootstrap-timeout=2s");
    assertThat(code).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(err.toString()).contains("404").contains("retrying").contains("\"not-yet\"");
  }
}

package dev.quma.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.quma.bootstrap.testing.BootstrapRules;
import dev.quma.bootstrap.testing.Fixtures;
import dev.quma.bootstrap.testing.TlsTestResources;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS with a configured certificate: the agent refuses the server until it is given the CA file
 * ({@code --ca-cert-file}), and the bootstrap tells Envoy to trust the configured xDS CA.
 */
@QuarkusTest
@QuarkusTestResource(value = TlsTestResources.class, restrictToAnnotatedClass = true)
class TlsBootstrapTest {
  @TestHTTPResource(value = "/", tls = true)
  URL cp;

  @Inject ResourceStore store;
  @Inject ChangeStream changes;
  @Inject InsightWriter insights;
  @TempDir Path dir;

  @Test
  void theAgentTrustsTheSharedCaAndEnvoyIsToldToTrustItToo() throws Exception {
    assertThat(cp.getProtocol()).isEqualTo("https");
    Fixtures fixtures = new Fixtures(store, changes, insights);
    fixtures.mesh("default");
    Path token = dir.resolve("token");
    Files.writeString(token, fixtures.token("default", "redis-1"));
    StringWriter err = new StringWriter();
    String[] common = {
      "run",
      "--cp-address=" + cp,
      "--dataplane-file=" + SeedDataplanes.file(SeedDataplanes.REDIS_FILE, dir),
      "--dataplane-token-file=" + token,
      "--config-dir=" + dir.resolve("config"),
      "--bootstrap-only",
      "--bootstrap-timeout=1s"
    };

    int untrusted =
        DpAgent.run(new PrintWriter(new StringWriter()), new PrintWriter(err, true), common);
    assertThat(untrusted)
        .as("without --ca-cert-file the JVM's CAs do not know ours")
        .isEqualTo(ExitCodes.TLS_UNTRUSTED);

    String[] trusted = java.util.Arrays.copyOf(common, common.length + 1);
    trusted[common.length] = "--ca-cert-file=" + TlsTestResources.caFile();
    err = new StringWriter();
    int code =
        DpAgent.run(new PrintWriter(new StringWriter()), new PrintWriter(err, true), trusted);
    assertThat(code).as(err.toString()).isZero();
    BootstrapRules.assertValid(Files.readString(dir.resolve("config/bootstrap.yaml")));
    String inlineCa =
        new YAMLMapper()
            .readTree(dir.resolve("config/bootstrap.yaml").toFile())
            .at(
                "/staticResources/clusters/0/transportSocket/typedConfig/commonTlsContext/validationContext/trustedCa/inlineString")
            .asText();
    assertThat(inlineCa.strip()).isEqualTo(Files.readString(TlsTestResources.caFile()).strip());
  }
}

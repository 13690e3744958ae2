package dev.quma.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.core.model.Dataplane;
import dev.quma.core.model.ProxyType;
import dev.quma.core.tokens.DataplaneTokenVerifier;
import dev.quma.ctl.QumaCtl;
import dev.quma.testing.PrivateRedisResource;
import dev.quma.tokens.testing.Meshes;
import dev.quma.tokens.testing.PrivatePostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code qumactl generate dataplane-token} against this token-service, as the README runs it. */
@QuarkusTest
@QuarkusTestResource(PrivateRedisResource.class)
@QuarkusTestResource(PrivatePostgresResource.class)
class QumactlEndToEndTest {
  @Inject Meshes meshes;
  @Inject DataplaneTokenVerifier verifier;

  @TestHTTPResource("/")
  URL service;

  @Test
  void printsATokenThatLetsTheSeedsRedis1In() {
    String mesh = meshes.create();
    Dataplane redis1 = meshes.storeRedis1(mesh);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int code =
        QumaCtl.run(
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            "generate",
            "dataplane-token",
            "--name=redis-1",
            "--mesh=" + mesh,
            "--tag=kuma.io/service=redis",
            "--valid-for=24h",
            "--cp-address=" + address());

    assertThat(err.toString()).isEmpty();
    assertThat(code).isZero();
    String token = out.toString();
    assertThat(token).doesNotContain("\n").matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
    assertThat(
            verifier
                .verify(token, mesh, "redis-1", ProxyType.DATAPLANE, redis1)
                .await()
                .atMost(Duration.ofSeconds(10))
                .tags())
        .containsKey("kuma.io/service");
  }

  @Test
  void refusalsArePrintedWithTheFieldAndExitOne() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int code =
        QumaCtl.run(
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            "generate",
            "dataplane-token",
            "--mesh=nowhere",
            "--valid-for=24h",
            "--cp-address=" + address());

    assertThat(code).isEqualTo(QumaCtl.REFUSED);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString())
        .contains("the token-service answered 400: Could not issue a token: Mesh is not found")
        .contains("mesh: mesh of name nowhere is not found");
  }

  private String address() {
    String url = service.toString();
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}

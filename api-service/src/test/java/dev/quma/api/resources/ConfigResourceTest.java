package dev.quma.api.resources;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What {@code GET /config} hides. */
class ConfigResourceTest {

  @Test
  void secretsAreRedactedAndOtherValuesKept() {
    assertThat(ConfigResource.redact("quarkus.redis.password", "hunter2")).isEqualTo("*****");
    assertThat(ConfigResource.redact("quma.tokens.signing-secret", "x")).isEqualTo("*****");
    assertThat(ConfigResource.redact("quarkus.http.auth.token", "x")).isEqualTo("*****");
    assertThat(ConfigResource.redact("quarkus.redis.hosts", "redis://app:hunter2@10.0.0.1:6379"))
        .isEqualTo("redis://*****@10.0.0.1:6379");
    assertThat(
            ConfigResource.redact(
                "quma.redis.url", "redis://:pw1@10.0.0.1:6379,rediss://app:pw2@10.0.0.2:6380"))
        .isEqualTo("redis://*****@10.0.0.1:6379,rediss://*****@10.0.0.2:6380");
    assertThat(ConfigResource.redact("quarkus.redis.hosts", "redis://127.0.0.1:6379"))
        .isEqualTo("redis://127.0.0.1:6379");
    assertThat(ConfigResource.redact("quma.api.admin-token-valid-for", "87600h"))
        .isEqualTo("87600h");
    assertThat(ConfigResource.redact("quma.store.key-prefix", "quma")).isEqualTo("quma");
  }
}

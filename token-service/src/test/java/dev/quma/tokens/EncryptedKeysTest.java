package dev.quma.tokens;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.quma.core.model.ResourceType;
import dev.quma.core.model.SecretData;
import dev.quma.core.store.ResourceStore;
import dev.quma.testing.PrivateRedisResource;
import dev.quma.tokens.testing.Issue;
import dev.quma.tokens.testing.Meshes;
import dev.quma.tokens.testing.PrivatePostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With an encryption key configured, private keys are sealed in the store; tokens still verify. */
@QuarkusTest
@QuarkusTestResource(PrivateRedisResource.class)
@QuarkusTestResource(PrivatePostgresResource.class)
@TestProfile(EncryptedKeysTest.WithEncryptionKey.class)
class EncryptedKeysTest {
  public static class WithEncryptionKey implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      byte[] key = new byte[32];
      new java.security.SecureRandom().nextBytes(key);
      return Map.of(
          "quma.token-service.signing-key-encryption-key", Base64.getEncoder().encodeToString(key));
    }
  }

  @Inject Meshes meshes;
  @Inject ResourceStore store;

  @Test
  void signingKeysAreStoredSealed() {
    String mesh = meshes.create();
    String token = Issue.token(mesh, "redis-1", "redis");

    SecretData secret =
        store
            .get(
                ResourceType.SECRET,
                mesh,
                "dataplane-token-signing-key-" + mesh + "-1",
                SecretData.class)
            .await()
            .atMost(Duration.ofSeconds(5))
            .spec();
    String stored =
        new String(Base64.getDecoder().decode(secret.data()), StandardCharsets.US_ASCII);
    assertThat(stored)
        .contains("QUMA ENCRYPTED RSA PRIVATE KEY")
        .doesNotContain("BEGIN RSA PRIVATE KEY");
    given()
        .get("/tokens/dataplane/" + mesh + "/signing-keys")
        .then()
        .body("items[0].encrypted", equalTo(true));
    given()
        .contentType("application/json")
        .body(Map.of("token", token, "mesh", mesh, "name", "redis-1"))
        .post("/tokens/dataplane/verify")
        .then()
        .statusCode(200);
  }
}

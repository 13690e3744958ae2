package dev.quma.core.admission;

import static dev.quma.core.testing.Fixtures.mesh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.quma.core.admission.AdmissionRefusedException.Reason;
import dev.quma.core.codec.Format;
import dev.quma.core.codec.ResourceCodec;
import dev.quma.core.events.ChangeStream;
import dev.quma.core.insight.ConnectedProxies;
import dev.quma.core.insight.DataplaneInsight.DiscoverySubscription;
import dev.quma.core.insight.InsightWriter;
import dev.quma.core.model.Dataplane;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.StoreSettings;
import dev.quma.core.testing.Fixtures;
import dev.quma.core.tokens.DataplaneTokenVerifier;
import dev.quma.core.tokens.ProxyTokens;
import dev.quma.core.tokens.SigningKeyManager;
import dev.quma.core.tokens.TokenRefusedException;
import dev.quma.core.validation.ValidationException;
import dev.quma.core.validation.Violation;
import dev.quma.testing.PrivateRedis;
import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admission both tiers run, against a real Redis and real tokens: what the request must say,
 * the token checked before the store reveals anything, then the store's answers.
 */
class DataplaneAdmissionTest {
  @RegisterExtension static PrivateRedis redis = new PrivateRedis();
  private static final Duration WAIT = Duration.ofSeconds(10);

  private ResourceStore store;
  private SigningKeyManager keys;
  private DataplaneAdmission admission;

  @BeforeEach
  void defaultMesh() {
    store = new ResourceStore(redis.client(), StoreSettings.DEFAULTS);
    ChangeStream changes = new ChangeStream(redis.client(), store.keys());
    keys = new SigningKeyManager(store, changes, Optional.empty());
    admission =
        new DataplaneAdmission(
            store,
            new DataplaneTokenVerifier(store, changes, Clock.systemUTC()),
            new ConnectedProxies(
                redis.client(), store.keys(), Clock.systemUTC(), Duration.ofSeconds(30)));
    await(store.create(mesh("default")));
  }

  @Test
  void directModeAdmitsTheOfferedResourceBoundToTheToken() {
    AdmittedDataplane admitted =
        await(admission.admit(direct("default", "web-1", token("web-1"), "10.0.0.1")));
    assertThat(admitted.direct()).isTrue();
    assertThat(admitted.stored()).isEmpty();
    assertThat(admitted.spec().networking().address()).isEqualTo("10.0.0.1");

    // Names may come from the resource alone.
    AdmittedDataplane named =
        await(admission.admit(direct(null, null, token("web-1"), "10.0.0.1")));
    assertThat(named.mesh()).isEqualTo("default");
    assertThat(named.name()).isEqualTo("web-1");
  }

  @Test
  void indirectModeAdmitsTheStoredDataplaneAndNeedsIt() {
    assertThat(refusal(indirect("web-2", token("web-2"))))
        .isInstanceOfSatisfying(
            AdmissionRefusedException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.DATAPLANE_NOT_FOUND);
              assertThat(e).hasMessageContaining("Dataplane \"web-2\" does not exist");
            });
    await(store.create(Fixtures.dataplane("default", "web-2", "web", "10.0.0.2", 80)));
    AdmittedDataplane admitted = await(admission.admit(indirect("web-2", token("web-2"))));
    assertThat(admitted.direct()).isFalse();
    assertThat(admitted.resource().name()).isEqualTo("web-2");
  }

  @Test
  void theRequestMustSayWhichDataplaneItIsOnce() {
    assertThat(reason(new AdmissionRequest("default", "web-1", "ingress", "t", null)))
        .isEqualTo(Reason.UNSUPPORTED_PROXY_TYPE);
    AdmissionRefusedException unnamed =
        (AdmissionRefusedException) refusal(new AdmissionRequest("", " ", null, "t", null));
    assertThat(unnamed.reason()).isEqualTo(Reason.INVALID_REQUEST);
    assertThat(unnamed.violations()).extracting(Violation::field).containsExactly("mesh", "name");
    AdmissionRefusedException other =
        (AdmissionRefusedException)
            refusal(
                new AdmissionRequest(
                    "default", "web-9", null, "t", resource("default", "web-1", "10.0.0.1")));
    assertThat(other.violations())
        .extracting(Violation::field)
        .containsExactly("dataplaneResource.name");
    assertThat(
            reason(
                new AdmissionRequest(
                    "default", "m", null, "t", "{\"type\": \"Mesh\", \"name\": \"m\"}")))
        .isEqualTo(Reason.INVALID_REQUEST);
    assertThat(refusal(direct("default", "web-1", "t", "0.0.0.0")))
        .isInstanceOf(ValidationException.class);
    assertThat(reason(direct("default", "web-1", null, "10.0.0.1"))).isEqualTo(Reason.NO_TOKEN);
  }

  @Test
  void withoutAValidTokenNobodyLearnsWhichMeshesOrDataplanesExist() {
    assertThat(refusal(direct("nowhere", "web-1", "not.a.token", "10.0.0.1")))
        .as("an unknown mesh")
        .isInstanceOf(TokenRefusedException.class);
    assertThat(refusal(indirect("ghost", "not.a.token")))
        .as("an unknown dataplane")
        .isInstanceOf(TokenRefusedException.class);
    assertThat(refusal(indirect("ghost", token("someone-else"))))
        .isInstanceOfSatisfying(
            TokenRefusedException.class, e -> assertThat(e.forbidden()).isTrue());
  }

  @Test
  void withoutTokenChecksAnUnknownMeshIsNotFound() {
    DataplaneAdmission unchecked = new DataplaneAdmission(store, null, null);
    Throwable refused =
        catchThrowable(() -> await(unchecked.admit(direct("nowhere", "web-1", null, "10.0.0.1"))));
    assertThat(refused)
        .isInstanceOfSatisfying(
            AdmissionRefusedException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.MESH_NOT_FOUND));
  }

  @Test
  void aNameHeldByALiveProxyWithAnotherResourceIsRefused() {
    await(
        store.create(
            ResourceCodec.instance()
                .<Dataplane>decode(
                    resource("default", "web-3", "10.0.0.3").getBytes(StandardCharsets.UTF_8),
                    Format.JSON,
                    ResourceType.DATAPLANE)
                .toResource(ResourceType.DATAPLANE)));
    AdmissionRequest same = direct("default", "web-3", token("web-3"), "10.0.0.3");
    AdmissionRequest moved = direct("default", "web-3", token("web-3"), "10.0.0.4");
    assertThat(await(admission.admit(moved)).direct()).as("nobody connected").isTrue();

    new InsightWriter(redis.client(), store.keys())
        .open(
            "default",
            "web-3",
            new DiscoverySubscription("s", "xds-1", Instant.now(), null, null, null, 0),
            Instant.now())
        .await()
        .atMost(WAIT);
    assertThat(reason(moved)).isEqualTo(Reason.NAME_IN_USE);
    assertThat(await(admission.admit(same)).direct()).as("the same proxy coming back").isTrue();
  }

  /** A Direct request whose resource names the same dataplane (mesh "default" if none). */
  private static AdmissionRequest direct(String mesh, String name, String token, String address) {
    String resource =
        resource(mesh == null ? "default" : mesh, name == null ? "web-1" : name, address);
    return new AdmissionRequest(mesh, name, "dataplane", token, resource);
  }

  private static String resource(String mesh, String name, String address) {
    return """
        {"type": "Dataplane", "mesh": "%s", "name": "%s",
         "networking": {"address": "%s", "inbound": [{"port": 80, "tags": {"kuma.io/service": "web"}}]}}
        """
        .formatted(mesh, name, address);
  }

  private static AdmissionRequest indirect(String name, String token) {
    return new AdmissionRequest("default", name, null, token, null);
  }

  private String token(String name) {
    return await(ProxyTokens.issue(keys, "default", name, Duration.ofHours(1)));
  }

  private Reason reason(AdmissionRequest request) {
    return ((AdmissionRefusedException) refusal(request)).reason();
  }

  private Throwable refusal(AdmissionRequest request) {
    return catchThrowable(() -> await(admission.admit(request)));
  }

  private static <T> T await(Uni<T> uni) {
    return uni.await().atMost(WAIT);
  }
}

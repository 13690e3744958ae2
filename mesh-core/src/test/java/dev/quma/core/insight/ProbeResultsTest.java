package dev.quma.core.insight;

import static dev.quma.core.testing.Fixtures.dataplane;
import static dev.quma.core.testing.Fixtures.mesh;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.core.events.ChangeEvent;
import dev.quma.core.events.ChangeStream;
import dev.quma.core.model.ResourceType;
import dev.quma.core.store.ResourceStore;
import dev.quma.core.store.StoreSettings;
import dev.quma.testing.PrivateRedis;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Probe results are stored only when they change, each change is an event of the mesh's stream, and
 * they go with their dataplane, against a real Redis.
 */
class ProbeResultsTest {
  @RegisterExtension static PrivateRedis redis = new PrivateRedis();

  private ResourceStore store;
  private ProbeResults probes;
  private ChangeStream changes;

  @BeforeEach
  void meshWithADataplane() {
    store = new ResourceStore(redis.client(), StoreSettings.DEFAULTS);
    probes = new ProbeResults(redis.client(), store.keys(), 1000);
    changes = new ChangeStream(redis.client(), store.keys());
    await(store.create(mesh("default")));
    await(store.create(dataplane("default", "web-1", "web", "10.0.0.1", 80)));
  }

  @Test
  void aChangedResultIsStoredAndAnnouncedAnUnchangedOneIsNot() {
    ProbeHealth failing = new ProbeHealth(1_000, true, Map.of(80, false));
    assertThat(await(probes.record("default", "web-1", failing)))
        .isEqualTo(ProbeResults.Outcome.WRITTEN);
    assertThat(
            await(
                probes.record("default", "web-1", new ProbeHealth(2_000, true, Map.of(80, false)))))
        .as("the same result, later")
        .isEqualTo(ProbeResults.Outcome.UNCHANGED);
    assertThat(
            await(
                probes.record("default", "web-1", new ProbeHealth(3_000, true, Map.of(80, true)))))
        .isEqualTo(ProbeResults.Outcome.WRITTEN);

    assertThat(await(probes.of("default", List.of("web-1", "web-2"))))
        .containsEntry("web-1", new ProbeHealth(3_000, true, Map.of(80, true)))
        .containsEntry("web-2", null);
    assertThat(await(probes.all("default")))
        .containsOnlyKeys("web-1")
        .containsValue(new ProbeHealth(3_000, true, Map.of(80, true)));
    List<ChangeEvent> events = await(changes.readMesh("default", ChangeStream.BEGINNING, 100));
    assertThat(events.stream().filter(e -> ProbeResults.EVENT_TYPE.equals(e.type())))
        .as("one event per change")
        .hasSize(2)
        .allMatch(e -> e.name().equals("web-1"));
  }

  @Test
  void resultsGoWithTheirDataplaneAndNoneAreKeptForOneThatIsGone() {
    await(probes.record("default", "web-1", new ProbeHealth(1_000, false, Map.of())));
    await(store.delete(ResourceType.DATAPLANE, "default", "web-1", java.util.OptionalLong.empty()));

    assertThat(await(probes.all("default"))).isEmpty();
    assertThat(await(probes.record("default", "web-1", new ProbeHealth(2_000, true, Map.of()))))
        .as("a dataplane that does not exist")
        .isEqualTo(ProbeResults.Outcome.NO_DATAPLANE);
    assertThat(await(probes.all("default"))).isEmpty();
  }

  @Test
  void theStoredFormReadsBack() {
    ProbeHealth health = new ProbeHealth(42, false, Map.of(8080, true, 9090, false));
    assertThat(health.storedHealth()).isEqualTo("0;8080=1,9090=0");
    assertThat(ProbeHealth.parse("42;" + health.storedHealth())).isEqualTo(health);
    assertThat(ProbeHealth.parse("42;1;")).isEqualTo(new ProbeHealth(42, true, Map.of()));
    assertThat(ProbeHealth.parse("garbage")).isNull();
  }

  private static <T> T await(Uni<T> uni) {
    return uni.await().atMost(Duration.ofSeconds(10));
  }
}

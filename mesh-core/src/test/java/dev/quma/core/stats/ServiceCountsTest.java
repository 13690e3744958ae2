package dev.quma.core.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The services hash read back: one entry per service and kind, by name, with Kuma's statuses. */
class ServiceCountsTest {
  @Test
  void eachServiceHasItsTotalAndOnlineInstancesSortedByName() {
    var services =
        ServiceCounts.parse(
            Map.of(
                "t\1internal\1web", "3",
                "o\1internal\1web", "2",
                "t\1gatewayBuiltin\1edge", "1",
                "o\1gatewayBuiltin\1edge", "1",
                "t\1internal\1api", "2",
                "ignored", "7"));
    assertThat(services)
        .containsExactly(
            new ServiceCounts("api", "internal", 2, 0),
            new ServiceCounts("edge", "gatewayBuiltin", 1, 1),
            new ServiceCounts("web", "internal", 3, 2));
    assertThat(services)
        .extracting(ServiceCounts::status)
        .containsExactly("offline", "online", "partiallyDegraded");
    assertThat(services.get(2).offline()).isEqualTo(1);
  }

  @Test
  void aServiceWithoutInstancesIsLeftOut() {
    assertThat(ServiceCounts.parse(Map.of("o\1internal\1gone", "0"))).isEmpty();
  }
}

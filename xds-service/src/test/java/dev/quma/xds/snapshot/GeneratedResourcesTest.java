package dev.quma.xds.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.core.model.Dataplane;
import dev.quma.xds.generate.Protocol;
import dev.quma.xds.generate.ProxyConfigGenerator;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class GeneratedResourcesTest {
  private final GeneratedResources generated = new GeneratedResources(new ResourceInterner());

  @Test
  void proxiesWithTheSameOutboundShareOneListenerAndItIsWhatTheGeneratorBuilds() {
    Dataplane.Outbound first = outbound(null, 10000);
    Dataplane.Outbound second = outbound("127.0.0.1", 10000); // the default address, spelled out

    var listener = generated.outboundListener(first, "redis", Protocol.TCP);

    assertThat(generated.outboundListener(second, "redis", Protocol.TCP)).isSameAs(listener);
    assertThat(listener.resource())
        .isEqualTo(ProxyConfigGenerator.outboundListener(first, "redis", Protocol.TCP));
  }

  @Test
  void anyInputThatShapesTheResourceGivesAnotherOne() {
    Dataplane.Outbound outbound = outbound(null, 10000);
    var tcp = generated.outboundListener(outbound, "redis", Protocol.TCP);

    assertThat(generated.outboundListener(outbound, "redis", Protocol.HTTP)).isNotSameAs(tcp);
    assertThat(generated.outboundListener(outbound(null, 10001), "redis", Protocol.TCP))
        .isNotSameAs(tcp);
    assertThat(generated.outboundListener(outbound, "web", Protocol.TCP)).isNotSameAs(tcp);
    assertThat(generated.edsCluster("redis", Protocol.TCP))
        .isSameAs(generated.edsCluster("redis", Protocol.TCP))
        .isNotSameAs(generated.edsCluster("redis", Protocol.HTTP2));
  }

  private static Dataplane.Outbound outbound(String address, int port) {
    TreeMap<String, String> tags = new TreeMap<>();
    tags.put("kuma.io/service", "redis");
    return new Dataplane.Outbound(address, port, null, tags, null);
  }
}

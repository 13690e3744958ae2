package dev.quma.api.resources;

import dev.quma.core.store.ClusterId;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * {@code GET /}: Kuma's index (hostname, tagline, version...), which kumactl reads to identify a
 * control plane.
 */
@Path("/")
public class IndexResource {
  static final String VERSION = "0.1.0";

  /** Where the web GUI is served (see {@code gui/}), in the words Kuma's index uses. */
  static final String GUI = "The gui is available at /gui";

  static final String BASED_ON_KUMA = "2.9.0";

  private final ClusterId clusterId;
  private final String hostname = hostname();
  private final String instanceId = hostname + "-" + UUID.randomUUID().toString().substring(0, 4);

  public IndexResource(ClusterId clusterId) {
    this.clusterId = clusterId;
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Uni<Map<String, String>> index() {
    return clusterId
        .get()
        .map(
            clusterId -> {
              Map<String, String> index = new LinkedHashMap<>();
              index.put("hostname", hostname);
              index.put("tagline", "Kuma");
              index.put("product", "Quma");
              index.put("version", VERSION);
              index.put("basedOnKuma", BASED_ON_KUMA);
              index.put("instanceId", instanceId);
              index.put("clusterId", clusterId);
              index.put("gui", GUI);
              return index;
            });
  }

  private static String hostname() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}

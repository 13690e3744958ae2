package dev.quma.api.resources;

import dev.quma.api.ApiConfig;
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
 * control plane. kumactl refuses a control plane whose product is not Kuma, and warns on every
 * command when {@code version} is not its own: so {@code product}, {@code tagline} and {@code
 * version} speak for the Kuma version this API follows ({@code quma.api.kuma-version}), and {@code
 * implementation} / {@code implementationVersion} say what really answers (docs/kumactl.md).
 */
@Path("/")
public class IndexResource {
  /** This implementation's own version, shown by the GUI. */
  static final String VERSION = "0.1.0";

  static final String IMPLEMENTATION = "Quma";

  /** Where the web GUI is served (see {@code gui/}), in the words Kuma's index uses. */
  static final String GUI = "The gui is available at /gui";

  /** What kumactl compares with its own product name. */
  static final String PRODUCT = "Kuma";

  private final ClusterId clusterId;
  private final String kumaVersion;
  private final String hostname = hostname();
  private final String instanceId = hostname + "-" + UUID.randomUUID().toString().substring(0, 4);

  public IndexResource(ClusterId clusterId, ApiConfig config) {
    this.clusterId = clusterId;
    this.kumaVersion = config.kumaVersion();
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
              index.put("tagline", PRODUCT);
              index.put("product", PRODUCT);
              index.put("version", kumaVersion);
              index.put("basedOnKuma", kumaVersion);
              index.put("implementation", IMPLEMENTATION);
              index.put("implementationVersion", VERSION);
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

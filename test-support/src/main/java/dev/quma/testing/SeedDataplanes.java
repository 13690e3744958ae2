package dev.quma.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The dataplanes of Kuma's Universal walkthrough that the tests join: {@code redis} (an inbound on
 * 9000 for a local Redis on 6379) and {@code backend} (an http inbound on 8000, an outbound to
 * redis on 10000). As JSON documents for the API and the xDS node metadata, and as the
 * walkthrough's own YAML files for the agent (one plain, one template).
 */
public final class SeedDataplanes {
  /**
   * The walkthrough's files on the class path: {@code redis-1.yaml}, {@code backend-dp-tmpl.yaml}.
   */
  public static final String REDIS_FILE = "redis-1.yaml";

  public static final String BACKEND_TEMPLATE_FILE = "backend-dp-tmpl.yaml";

  private SeedDataplanes() {}

  public static String redis(String mesh, String name, String address) {
    return """
        {"type": "Dataplane", "mesh": "%s", "name": "%s",
         "networking": {"address": "%s", "inbound": [{"port": 9000, "servicePort": 6379, "tags": {"kuma.io/service": "redis"}}]}}
        """
        .formatted(mesh, name, address);
  }

  public static String backend(String mesh, String name, String address) {
    return """
        {"type": "Dataplane", "mesh": "%s", "name": "%s",
         "networking": {"address": "%s",
           "inbound": [{"port": 8000, "servicePort": 80, "tags": {"kuma.io/service": "backend", "kuma.io/protocol": "http"}}],
           "outbound": [{"port": 10000, "tags": {"kuma.io/service": "redis"}}]}}
        """
        .formatted(mesh, name, address);
  }

  /**
   * Writes the walkthrough's file {@code name} into {@code dir}, for a command that reads a path.
   */
  public static Path file(String name, Path dir) {
    Path target = dir.resolve(name);
    try (InputStream in = SeedDataplanes.class.getResourceAsStream("/seeds/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no seed file " + name);
      }
      Files.createDirectories(dir);
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

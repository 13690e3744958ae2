package dev.quma.api.resources;

import dev.quma.core.runtime.UrlCredentials;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;

/**
 * {@code GET /config} (admins only): the effective configuration of this replica, every setting of
 * Quma and of the HTTP and Redis layers with the value it runs with (defaults, files, environment
 * resolved), as a flat JSON object sorted by name. Secrets are redacted: settings named like one
 * (password, secret, credential, token, private key) and the credentials of any URL.
 */
@Path("/config")
public class ConfigResource {
  static final String REDACTED = UrlCredentials.REDACTED;
  private static final List<String> SHOWN =
      List.of("quma.", "quarkus.http.", "quarkus.redis.", "quarkus.application.");
  private static final Pattern SECRET_NAME =
      Pattern.compile("(?i).*(password|secret|credentials?|token|private-key)$");

  private final Config config;

  public ConfigResource(Config config) {
    this.config = config;
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, String> get() {
    Map<String, String> out = new TreeMap<>();
    for (String name : config.getPropertyNames()) {
      if (SHOWN.stream().noneMatch(name::startsWith)) {
        continue;
      }
      try {
        config
            .getOptionalValue(name, String.class)
            .ifPresent(value -> out.put(name, redact(name, value)));
      } catch (RuntimeException e) {
        // a value that does not resolve (e.g. an expression over an unset variable) is left out
      }
    }
    return out;
  }

  static String redact(String name, String value) {
    String lastSegment = name.substring(name.lastIndexOf('.') + 1);
    if (SECRET_NAME.matcher(lastSegment).matches()) {
      return REDACTED;
    }
    return UrlCredentials.redact(value);
  }
}

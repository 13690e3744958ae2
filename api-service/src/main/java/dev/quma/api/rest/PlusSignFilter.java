package dev.quma.api.rest;

import jakarta.ws.rs.container.ContainerRequestContext;
import java.net.URI;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Kuma's paths contain a literal {@code +} ({@code dataplanes+insights}); some clients send it
 * percent-encoded as {@code %2B}. Both reach the same endpoint.
 */
public class PlusSignFilter {

  @ServerRequestFilter(preMatching = true)
  public void decodePlus(ContainerRequestContext context) {
    URI uri = context.getUriInfo().getRequestUri();
    String path = uri.getRawPath();
    if (path != null && (path.contains("%2B") || path.contains("%2b"))) {
      String query = uri.getRawQuery();
      String fixed = path.replace("%2B", "+").replace("%2b", "+");
      context.setRequestUri(
          URI.create(
              uri.getScheme()
                  + "://"
                  + uri.getRawAuthority()
                  + fixed
                  + (query == null ? "" : "?" + query)));
    }
  }
}

package dev.quma.api.gui;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/**
 * {@code /gui} without its slash: redirects to {@code /gui/}, where the static index is served, so
 * that the page's relative links resolve under {@code /gui/}.
 */
@Path("/gui")
public class GuiEntry {
  @GET
  public Response enter() {
    return Response.status(Response.Status.MOVED_PERMANENTLY).location(URI.create("/gui/")).build();
  }
}

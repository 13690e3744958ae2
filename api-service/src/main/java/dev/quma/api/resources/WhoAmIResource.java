package dev.quma.api.resources;

import dev.quma.core.auth.Caller;
import dev.quma.http.auth.CurrentCaller;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /who-am-i}: the caller's user name and groups, as the API authenticated it. */
@Path("/who-am-i")
public class WhoAmIResource {
  private final CurrentCaller current;

  public WhoAmIResource(CurrentCaller current) {
    this.current = current;
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, Object> get() {
    Caller caller = current.get();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", caller.name());
    out.put("groups", List.copyOf(new java.util.TreeSet<>(caller.groups())));
    return out;
  }
}

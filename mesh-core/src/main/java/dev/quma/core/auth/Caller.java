package dev.quma.core.auth;

import java.util.Set;

/** Who is calling an API, with Kuma's user names and groups. */
public record Caller(String name, Set<String> groups) {
  public static final String ADMIN_GROUP = "mesh-system:admin";
  public static final String AUTHENTICATED_GROUP = "mesh-system:authenticated";
  public static final String UNAUTHENTICATED_GROUP = "mesh-system:unauthenticated";

  /** A request from localhost while {@code localhost-is-admin} is on, as in Kuma. */
  public static final Caller LOCALHOST_ADMIN =
      new Caller("mesh-system:admin", Set.of(ADMIN_GROUP, AUTHENTICATED_GROUP));

  public static final Caller ANONYMOUS =
      new Caller("mesh-system:anonymous", Set.of(UNAUTHENTICATED_GROUP));

  public Caller {
    groups = Set.copyOf(groups);
  }

  public boolean admin() {
    return groups.contains(ADMIN_GROUP);
  }

  public boolean authenticated() {
    return !groups.contains(UNAUTHENTICATED_GROUP);
  }
}

package dev.quma.http.auth;

/**
 * What a service requires of the caller of each request. A service provides its own policy as a
 * bean; {@link DefaultAccessPolicy} applies otherwise.
 */
public interface AccessPolicy {

  enum Access {
    /** Anyone, even with {@code quma.auth.reads-require-auth} on (health, metrics). */
    PUBLIC,
    /** Anyone, unless {@code quma.auth.reads-require-auth} is on. */
    READ,
    /** A caller of the {@code mesh-system:admin} group. */
    ADMIN
  }

  Access required(String method, String path);

  static boolean isRead(String method) {
    return method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
  }

  static boolean isOperations(String path) {
    return path.startsWith("/q/");
  }
}

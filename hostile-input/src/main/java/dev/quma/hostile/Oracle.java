package dev.quma.hostile;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What every answer to a hostile request must satisfy, judged from the outside: the rules of issue
 * 15, written again here rather than borrowed from the services, so that a mistake in their code is
 * not repeated in the check.
 */
public final class Oracle {
  public enum Kind {
    /** A 5xx: the service failed on input. */
    SERVER_ERROR,
    /** An error body that names a class, package or stack frame. */
    CLASS_NAME,
    /** A request without admin rights got what needs them. */
    ADMIN_BYPASS,
    /** A refused request changed the store. */
    STORE_CHANGED
  }

  public record Violation(Kind kind, String detail) {}

  // A qualified Java name (java.lang.String, org.yaml...Event), a stack frame, an exception's name.
  private static final Pattern CLASS_NAME =
      Pattern.compile(
          "\\b(?:java|javax|jakarta|sun|com|org|io|dev|net)\\.[a-z0-9_]+(?:\\.[A-Za-z0-9_$]+)+"
              + "|\\bat [a-z][\\w$]*(?:\\.[\\w$]+)+\\(|\\b[A-Z][A-Za-z]*(?:Exception|Error|Event)\\b");

  private final List<String> secrets;

  /** {@code secrets}: text no request without admin rights may see (tokens, secret data). */
  public Oracle(List<String> secrets) {
    this.secrets = List.copyOf(secrets);
  }

  public List<Violation> judge(
      HostileRequest request, RawHttp.Response response, List<String> storeChanges) {
    List<Violation> out = new ArrayList<>();
    int status = response.status();
    String body = new String(response.body(), StandardCharsets.UTF_8);
    if (status >= 500) {
      out.add(new Violation(Kind.SERVER_ERROR, status + " " + HostileRequest.printable(body, 300)));
    }
    if (status >= 400 && CLASS_NAME.matcher(body).find()) {
      var match = CLASS_NAME.matcher(body);
      match.find();
      out.add(
          new Violation(
              Kind.CLASS_NAME,
              "\"" + match.group() + "\" in " + HostileRequest.printable(body, 300)));
    }
    if (!request.admin() && status >= 200 && status < 300) {
      String why = bypass(request, body);
      if (why != null) {
        out.add(new Violation(Kind.ADMIN_BYPASS, status + " " + why));
      }
    }
    if ((status >= 400 || status < 0) && !storeChanges.isEmpty()) {
      out.add(new Violation(Kind.STORE_CHANGED, status + " " + storeChanges));
    }
    return out;
  }

  private String bypass(HostileRequest request, String body) {
    for (String secret : secrets) {
      if (body.contains(secret)) {
        return "the answer holds a secret";
      }
    }
    if (request.method().equalsIgnoreCase("OPTIONS") && body.isBlank()) {
      // An empty answer to OPTIONS names the methods a path allows, nothing of what it holds.
      return null;
    }
    String path = normalisedPath(request.target());
    return switch (request.service()) {
      case API -> {
        if (request.stateChanging()) {
          yield "a state-changing request succeeded";
        }
        if (path.startsWith("/global-secrets")
            || path.matches("/meshes/[^/]*/secrets.*")
            || path.equals("/config")) {
          yield "read " + path;
        }
        yield null;
      }
      case TOKENS -> path.startsWith("/q/") ? null : "the token service answered " + path;
      case BOOTSTRAP -> null;
    };
  }

  /**
   * The path a server routes by: query dropped, percent-decoded, empty segments and dot segments
   * resolved as RFC 3986 has it.
   */
  static String normalisedPath(String target) {
    String path = target.split("\\?", 2)[0];
    try {
      path = java.net.URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      // not decodable: judged as sent
    }
    Deque<String> segments = new ArrayDeque<>();
    for (String segment : path.split("/")) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        segments.pollLast();
      } else {
        segments.addLast(segment);
      }
    }
    return ("/" + String.join("/", segments)).toLowerCase(Locale.ROOT);
  }
}

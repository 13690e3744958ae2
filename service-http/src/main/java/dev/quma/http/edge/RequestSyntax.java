package dev.quma.http.edge;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a request must look like before any endpoint sees it: a path of segments that are names
 * ({@code .} and {@code ..} are not; neither is a segment with a slash or a control character in
 * it), percent-encoding that decodes to UTF-8, and {@code Accept} / {@code Content-Type} headers
 * that are media types. Each check answers the problem in the caller's terms, or null.
 */
public final class RequestSyntax {
  private RequestSyntax() {}

  private static final Pattern HOST =
      Pattern.compile("^([A-Za-z0-9._~!$&'()*+,;=%-]+|\\[[0-9A-Fa-f:.]+])(:[0-9]{1,5})?$");

  /** The problem with the raw (still encoded) path, or null. */
  public static String pathProblem(String rawPath) {
    if (rawPath == null || !rawPath.startsWith("/")) {
      return "the request path must start with '/'";
    }
    for (String segment : rawPath.substring(1).split("/", -1)) {
      String decoded = decode(segment, false);
      if (decoded == null) {
        return "the path segment \"" + printable(segment) + "\" is not valid percent-encoded UTF-8";
      }
      if (decoded.equals(".") || decoded.equals("..")) {
        return "'.' and '..' are not names: the path must name a resource directly";
      }
      if (decoded.indexOf('/') >= 0 || decoded.indexOf('\\') >= 0) {
        return "a path segment may not contain an encoded '/' or '\\'";
      }
      if (hasControl(decoded)) {
        return "the path may not contain control characters";
      }
    }
    return null;
  }

  /** The problem with the raw query string, or null. */
  public static String queryProblem(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return null;
    }
    for (String pair : rawQuery.split("&", -1)) {
      String decoded = decode(pair, true);
      if (decoded == null) {
        return "the query parameter \"" + printable(pair) + "\" is not valid percent-encoded UTF-8";
      }
      if (hasControl(decoded)) {
        return "query parameters may not contain control characters";
      }
    }
    return null;
  }

  /** The problem with the host the request names ({@link HostHeader}: null when none), or null. */
  public static String hostProblem(String host) {
    if (host == null) {
      return "send exactly one Host header";
    }
    if (!HOST.matcher(host).matches()) {
      return "the Host header is not a host name or address with an optional port: \""
          + printable(host)
          + "\"";
    }
    return null;
  }

  /** The problem with the {@code Accept} headers (a list of media ranges), or null. */
  public static String acceptProblem(List<String> values) {
    for (String value : values) {
      for (String element : value.split(",", -1)) {
        if (!element.isBlank() && !MediaTypes.isMediaRange(element)) {
          return "the Accept header is not a list of media types (such as application/json):"
              + " \""
              + printable(value)
              + "\"";
        }
      }
    }
    return null;
  }

  /** The problem with the {@code Content-Type} headers (one media type), or null. */
  public static String contentTypeProblem(List<String> values) {
    if (values.isEmpty()) {
      return null;
    }
    if (values.size() > 1) {
      return "send one Content-Type header, not " + values.size();
    }
    String value = values.get(0);
    if (value.isBlank()) {
      return "the Content-Type header is empty: send application/json or application/yaml";
    }
    if (!MediaTypes.isMediaType(value)) {
      return "the Content-Type header is not a media type (such as application/json): \""
          + printable(value)
          + "\"";
    }
    return null;
  }

  /** Strict percent-decoding to UTF-8; null when malformed. */
  static String decode(String raw, boolean plusIsSpace) {
    if (raw.indexOf('%') < 0) {
      return plusIsSpace ? raw.replace('+', ' ') : raw;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          return null;
        }
        int high = Character.digit(raw.charAt(i + 1), 16);
        int low = Character.digit(raw.charAt(i + 2), 16);
        if (high < 0 || low < 0) {
          return null;
        }
        bytes.write(high * 16 + low);
        i += 2;
      } else {
        byte[] encoded =
            String.valueOf(plusIsSpace && c == '+' ? ' ' : c).getBytes(StandardCharsets.UTF_8);
        bytes.write(encoded, 0, encoded.length);
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static boolean hasControl(String text) {
    return text.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
  }

  private static String printable(String text) {
    return ErrorBodies.printable(text);
  }
}

package dev.quma.core.validation;

import java.util.regex.Pattern;

/**
 * Textual checks for IP addresses and domain names, with no DNS lookups (unlike {@code
 * InetAddress.getByName}). They accept what Go's {@code net.ParseIP} and govalidator's {@code
 * IsDNSName} accept, which is what Kuma's validation uses.
 */
public final class Addresses {
  private Addresses() {}

  private static final Pattern DNS_NAME =
      Pattern.compile(
          "^([a-zA-Z0-9_][a-zA-Z0-9_-]{0,62})(\\.[a-zA-Z0-9_][a-zA-Z0-9_-]{0,62})*[._]?$");

  public static boolean isIp(String s) {
    return isIpv4(s) || isIpv6(s);
  }

  public static boolean isUnspecified(String s) {
    return "0.0.0.0".equals(s) || "::".equals(s);
  }

  public static boolean isLoopback(String s) {
    return s != null && (s.startsWith("127.") && isIpv4(s) || "::1".equals(s));
  }

  public static boolean isDnsName(String s) {
    if (s == null || s.isEmpty() || s.replace(".", "").length() > 255) {
      return false;
    }
    return !isIp(s) && DNS_NAME.matcher(s).matches();
  }

  public static boolean isIpv4(String s) {
    if (s == null) {
      return false;
    }
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
        return false;
      }
      if (part.length() > 1 && part.charAt(0) == '0') {
        return false; // Go rejects leading zeros (ambiguous octal)
      }
      if (Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }

  public static boolean isIpv6(String s) {
    if (s == null || s.indexOf(':') < 0) {
      return false;
    }
    int doubleColon = s.indexOf("::");
    if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) {
      return false;
    }
    String head = doubleColon >= 0 ? s.substring(0, doubleColon) : s;
    String tail = doubleColon >= 0 ? s.substring(doubleColon + 2) : "";
    java.util.List<String> parts = new java.util.ArrayList<>();
    if (!head.isEmpty()) {
      parts.addAll(java.util.Arrays.asList(head.split(":", -1)));
    }
    if (!tail.isEmpty()) {
      parts.addAll(java.util.Arrays.asList(tail.split(":", -1)));
    }
    // An embedded IPv4 address may only be the very last group, and not right before a trailing
    // "::".
    boolean lastIsFinal = doubleColon < 0 || !tail.isEmpty();
    int groups = 0;
    for (int i = 0; i < parts.size(); i++) {
      String part = parts.get(i);
      if (lastIsFinal && i == parts.size() - 1 && part.contains(".")) {
        if (!isIpv4(part)) {
          return false;
        }
        groups += 2;
        continue;
      }
      if (part.isEmpty()
          || part.length() > 4
          || !part.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
        return false;
      }
      groups++;
    }
    return doubleColon >= 0 ? groups <= 7 : groups == 8;
  }
}

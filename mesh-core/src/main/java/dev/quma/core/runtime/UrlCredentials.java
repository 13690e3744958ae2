package dev.quma.core.runtime;

import java.util.regex.Pattern;

/** Takes the credentials ({@code user:password@}) out of every URL in a text, for showing it. */
public final class UrlCredentials {
  public static final String REDACTED = "*****";
  private static final Pattern URL_CREDENTIALS =
      Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://)[^@/\\s,]+@");

  private UrlCredentials() {}

  public static String redact(String text) {
    return URL_CREDENTIALS.matcher(text).replaceAll("$1" + REDACTED + "@");
  }
}

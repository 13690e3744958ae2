package dev.quma.core.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/**
 * What a failed read of a body means, in the user's terms: Jackson's own wording where it speaks of
 * the document (unexpected characters, unclosed strings), ours where it speaks of its types.
 */
public final class ParseErrors {
  private ParseErrors() {}

  public static String describe(Exception error) {
    if (error instanceof StreamConstraintsException limit) {
      return "the document exceeds a limit: " + limitOf(limit.getOriginalMessage());
    }
    if (error instanceof MismatchedInputException mismatched) {
      String original = String.valueOf(mismatched.getOriginalMessage());
      if (original.startsWith("Trailing token")) {
        return "unexpected content after the end of the document";
      }
      if (original.contains("No content to map")) {
        return "the document is empty";
      }
      return "a value has the wrong type";
    }
    String message =
        error instanceof JsonProcessingException json
            ? json.getOriginalMessage()
            : error.getMessage();
    if (message == null) {
      return "the document could not be read";
    }
    return UserMessages.withoutClassNames(message.strip());
  }

  private static String limitOf(String message) {
    if (message == null) {
      return "too large";
    }
    if (message.contains("nesting depth")) {
      return "nested too deeply";
    }
    if (message.contains("String value length")) {
      return "a string is too long";
    }
    if (message.contains("Number value length")) {
      return "a number is too long";
    }
    if (message.contains("Name length")) {
      return "a field name is too long";
    }
    return "too large";
  }
}

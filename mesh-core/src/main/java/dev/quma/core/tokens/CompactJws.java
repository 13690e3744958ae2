package dev.quma.core.tokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quma.core.tokens.TokenRefusedException.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.OptionalInt;

/**
 * A token split into its three parts and checked up to what can be checked without a key: the
 * algorithm must be RS256 and the {@code kid} a serial number. Anything else is refused here,
 * before a key is looked up, so that {@code none} and HS256 tokens never reach a verification
 * routine.
 */
final class CompactJws {
  static final String RS256 = "RS256";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();
  private static final int MAX_TOKEN_LENGTH = 16 * 1024;

  final int keySerial;
  final byte[] signingInput;
  final byte[] payload;
  final byte[] signature;

  private CompactJws(int keySerial, byte[] signingInput, byte[] payload, byte[] signature) {
    this.keySerial = keySerial;
    this.signingInput = signingInput;
    this.payload = payload;
    this.signature = signature;
  }

  static CompactJws parse(String token) {
    if (token == null || token.isEmpty()) {
      throw DataplaneTokenClaims.malformed("it is empty");
    }
    if (token.length() > MAX_TOKEN_LENGTH) {
      throw DataplaneTokenClaims.malformed("it is longer than " + MAX_TOKEN_LENGTH + " characters");
    }
    int firstDot = token.indexOf('.');
    int secondDot = firstDot < 0 ? -1 : token.indexOf('.', firstDot + 1);
    if (secondDot < 0 || token.indexOf('.', secondDot + 1) >= 0) {
      throw DataplaneTokenClaims.malformed(
          "a JWT has three base64url parts separated by dots (header.payload.signature)");
    }
    JsonNode header = header(token.substring(0, firstDot));
    String algorithm = algorithm(header);
    if (algorithm.equalsIgnoreCase("none")) {
      throw new TokenRefusedException(
          Reason.UNSIGNED,
          "the dataplane token is not signed (alg \"none\"); tokens must be signed with RS256");
    }
    if (!algorithm.equals(RS256)) {
      throw new TokenRefusedException(
          Reason.UNSUPPORTED_ALGORITHM,
          "the dataplane token is signed with "
              + printable(algorithm)
              + "; only RS256 is accepted");
    }
    if (header.has("crit")) {
      throw DataplaneTokenClaims.malformed("its header has critical extensions (crit)");
    }
    int serial = keySerial(header);
    byte[] payload = decode(token.substring(firstDot + 1, secondDot), "payload");
    byte[] signature = decode(token.substring(secondDot + 1), "signature");
    if (signature.length == 0) {
      throw DataplaneTokenClaims.malformed("its signature is empty");
    }
    byte[] signingInput = token.substring(0, secondDot).getBytes(StandardCharsets.US_ASCII);
    return new CompactJws(serial, signingInput, payload, signature);
  }

  private static JsonNode header(String part) {
    byte[] bytes = decode(part, "header");
    JsonNode header;
    try {
      header = JSON.readTree(bytes);
    } catch (IOException e) {
      throw DataplaneTokenClaims.malformed("its header is not JSON");
    }
    if (header == null || !header.isObject()) {
      throw DataplaneTokenClaims.malformed("its header is not a JSON object");
    }
    return header;
  }

  private static String algorithm(JsonNode header) {
    JsonNode alg = header.get("alg");
    if (alg == null || !alg.isTextual()) {
      throw DataplaneTokenClaims.malformed("its header names no algorithm (alg)");
    }
    return alg.textValue();
  }

  private static int keySerial(JsonNode header) {
    JsonNode kid = header.get("kid");
    if (kid == null || kid.isNull()) {
      throw new TokenRefusedException(
          Reason.MISSING_KEY_ID,
          "the dataplane token has no key id (kid header); tokens name the serial number of the"
              + " signing key that signed them");
    }
    OptionalInt serial =
        kid.isTextual() ? DataplaneTokenNames.parseSerial(kid.textValue()) : OptionalInt.empty();
    if (serial.isEmpty()) {
      throw new TokenRefusedException(
          Reason.MISSING_KEY_ID,
          "the dataplane token's key id (kid header) is not the serial number of a signing key");
    }
    return serial.getAsInt();
  }

  private static byte[] decode(String part, String what) {
    if (part.indexOf('=') >= 0) {
      throw DataplaneTokenClaims.malformed("its " + what + " is padded, which JWTs never are");
    }
    try {
      return BASE64URL.decode(part);
    } catch (IllegalArgumentException e) {
      throw DataplaneTokenClaims.malformed("its " + what + " is not valid base64url");
    }
  }

  /** An attacker-chosen header value, made safe and short enough for a log line. */
  static String printable(String value) {
    String cleaned = value.replaceAll("[^A-Za-z0-9._-]", "?");
    return "\"" + (cleaned.length() > 20 ? cleaned.substring(0, 20) + "..." : cleaned) + "\"";
  }
}

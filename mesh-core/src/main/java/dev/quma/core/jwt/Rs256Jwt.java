package dev.quma.core.jwt;

import dev.quma.core.jwt.JwtRefusedException.Kind;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.auth.principal.DefaultJWTTokenParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtException;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtSignatureException;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.keys.resolvers.VerificationKeyResolver;
import org.jose4j.lang.JoseException;

/**
 * The control plane's one JWT stack, for user and dataplane tokens alike: RS256 only, the signing
 * key named by {@code kid}. smallrye-jwt's build API signs; its parser verifies, with a key
 * resolver that knows exactly one {@code kid} and refuses any other algorithm, {@code none} and
 * critical headers before it hands out the key. Plain Java: no CDI, no config properties read to
 * verify.
 *
 * <p>Times ({@code exp}, {@code nbf}) are the caller's to judge, with its own clock and words: the
 * parser's own time checks run on the system clock, so they are opened wide here.
 */
public final class Rs256Jwt {
  public static final String RS256 = "RS256";
  static final int MAX_TOKEN_LENGTH = 16 * 1024;
  private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();
  private static final JWTAuthContextInfo VERIFICATION = verification();

  private Rs256Jwt() {}

  /** A token whose shape and header passed, not yet its signature. */
  public record Unverified(String keyId, byte[] payload, int signatureLength) {}

  /**
   * Signs {@code claims}, in their iteration order, with header {@code {"alg":"RS256","kid":...,
   * "typ":"JWT"}}. Every claim is the caller's: nothing is added. CPU work (an RSA private-key
   * operation, about a millisecond).
   */
  public static String sign(Map<String, Object> claims, String keyId, PrivateKey key) {
    try {
      return Jwt.claims(claims).jws().keyId(keyId).algorithm(SignatureAlgorithm.RS256).sign(key);
    } catch (JwtException e) {
      throw new IllegalStateException("could not sign a JWT", e);
    }
  }

  /**
   * Checks what can be checked without a key (shape, algorithm, {@code crit}, a string {@code kid})
   * and returns the unverified payload, so that the caller can look up the key.
   */
  public static Unverified peek(String token) {
    String[] parts = checkShape(token);
    JsonWebSignature jws = parsed(token);
    String keyId = checkHeader(jws);
    if (parts[2].isEmpty()) {
      throw malformed("its signature is empty");
    }
    return new Unverified(keyId, BASE64URL.decode(parts[1]), (int) (parts[2].length() * 6L / 8));
  }

  /**
   * Verifies the RS256 signature with {@code key}, which must be the key the token names ({@code
   * keyId}); returns the claims. The key is handed to the parser only after the header passed.
   */
  public static JwtClaims verify(String token, String keyId, RSAPublicKey key) {
    Objects.requireNonNull(keyId, "keyId");
    checkShape(token);
    VerificationKeyResolver resolver =
        (jws, nesting) -> {
          if (!nesting.isEmpty()) {
            throw malformed("it is a nested JWT");
          }
          String named = checkHeader(jws);
          if (!keyId.equals(named)) {
            throw new JwtRefusedException(Kind.OTHER_KEY_ID, printable(named));
          }
          return key;
        };
    DefaultJWTTokenParser parser =
        new DefaultJWTTokenParser() {
          @Override
          protected VerificationKeyResolver getVerificationKeyResolver(JWTAuthContextInfo info) {
            return resolver;
          }
        };
    try {
      return parser.parse(token, VERIFICATION).getJwtClaims();
    } catch (ParseException e) {
      throw refusal(e);
    }
  }

  /** An attacker-chosen value, made safe and short enough for a log line. */
  public static String printable(String value) {
    String cleaned = value.replaceAll("[^A-Za-z0-9._-]", "?");
    return "\"" + (cleaned.length() > 20 ? cleaned.substring(0, 20) + "..." : cleaned) + "\"";
  }

  private static JWTAuthContextInfo verification() {
    JWTAuthContextInfo info = new JWTAuthContextInfo();
    info.setSignatureAlgorithm(Set.of(SignatureAlgorithm.RS256));
    // Kuma's tokens name their holder in Name, not in sub, upn or preferred_username.
    info.setRequireNamedPrincipal(false);
    // iat is optional (Kuma's tokens have it, older ones may not); no maximum lifetime.
    info.setMaxTimeToLiveSecs(0L);
    // The caller judges exp and nbf with its own clock; the parser's system-clock check is opened.
    info.setClockSkew(Integer.MAX_VALUE);
    return info;
  }

  /**
   * The strict shape the parser's lenient base64url decoding would let slide: three parts, each
   * canonical unpadded base64url, so that a token has exactly one spelling (padding, stray
   * characters or a fourth part never verify).
   */
  private static String[] checkShape(String token) {
    if (token == null || token.isEmpty()) {
      throw malformed("it is empty");
    }
    if (token.length() > MAX_TOKEN_LENGTH) {
      throw malformed("it is longer than " + MAX_TOKEN_LENGTH + " characters");
    }
    int firstDot = token.indexOf('.');
    int secondDot = firstDot < 0 ? -1 : token.indexOf('.', firstDot + 1);
    if (secondDot < 0 || token.indexOf('.', secondDot + 1) >= 0) {
      throw malformed(
          "a JWT has three base64url parts separated by dots (header.payload.signature)");
    }
    String[] parts = {
      token.substring(0, firstDot),
      token.substring(firstDot + 1, secondDot),
      token.substring(secondDot + 1)
    };
    checkBase64url(parts[0], "header");
    checkBase64url(parts[1], "payload");
    checkBase64url(parts[2], "signature");
    return parts;
  }

  private static void checkBase64url(String part, String what) {
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      boolean alphabet =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_';
      if (!alphabet) {
        throw malformed(
            c == '='
                ? "its " + what + " is padded, which JWTs never are"
                : "its " + what + " is not valid base64url");
      }
    }
    if (part.length() % 4 == 1) {
      throw malformed("its " + what + " is not valid base64url");
    }
  }

  private static JsonWebSignature parsed(String token) {
    JsonWebStructure structure;
    try {
      structure = JsonWebStructure.fromCompactSerialization(token);
    } catch (JoseException | RuntimeException e) {
      throw malformed("its header is not a JSON object");
    }
    if (!(structure instanceof JsonWebSignature jws)) {
      throw malformed(
          "a JWT has three base64url parts separated by dots (header.payload.signature)");
    }
    return jws;
  }

  /** The header rules, applied before any key is looked up or used; returns the {@code kid}. */
  private static String checkHeader(JsonWebSignature jws) {
    Object algorithm = jws.getHeaders().getObjectHeaderValue("alg");
    if (!(algorithm instanceof String alg)) {
      throw malformed("its header names no algorithm (alg)");
    }
    if (alg.equalsIgnoreCase("none")) {
      throw new JwtRefusedException(Kind.UNSIGNED, "\"none\"");
    }
    if (!alg.equals(RS256)) {
      throw new JwtRefusedException(Kind.UNSUPPORTED_ALGORITHM, printable(alg));
    }
    if (jws.getHeaders().getObjectHeaderValue("crit") != null) {
      throw new JwtRefusedException(
          Kind.CRITICAL_HEADER, "its header has critical extensions (crit)");
    }
    Object kid = jws.getHeaders().getObjectHeaderValue("kid");
    if (kid == null) {
      throw new JwtRefusedException(Kind.MISSING_KEY_ID, "no kid header");
    }
    if (!(kid instanceof String keyId)) {
      throw new JwtRefusedException(Kind.KEY_ID_NOT_A_STRING, "the kid header is not a string");
    }
    return keyId;
  }

  /** What the parser's failure means: our own refusal from the resolver, or its verdict. */
  private static JwtRefusedException refusal(ParseException failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof JwtRefusedException refused) {
        return refused;
      }
      if (cause instanceof InvalidJwtSignatureException) {
        return new JwtRefusedException(Kind.BAD_SIGNATURE, "the signature does not match");
      }
    }
    // The parser's other verdicts (claims not JSON, no exp, exp before nbf): its messages quote the
    // token, so they are not passed on.
    return malformed("its claims are not a valid JWT claims set");
  }

  private static JwtRefusedException malformed(String why) {
    return new JwtRefusedException(Kind.MALFORMED, why);
  }
}

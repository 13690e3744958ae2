package dev.quma.core.tokens;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.quma.core.tokens.TokenRefusedException.Reason;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The claims of a dataplane token, named as Kuma's Go code encodes them ({@code Name}, {@code
 * Mesh}, {@code Tags}, {@code Type}, {@code Workload}) plus the registered {@code exp}, {@code
 * nbf}, {@code iat} and {@code jti}. Empty strings mean "not bound", as in Kuma.
 */
public record DataplaneTokenClaims(
    String name,
    String mesh,
    SortedMap<String, List<String>> tags,
    String type,
    String workload,
    String jti,
    Instant issuedAt,
    Instant notBefore,
    Instant expiresAt) {

  private static final JsonFactory JSON = new JsonFactory();
  private static final ObjectMapper READER = new ObjectMapper(JSON);

  public DataplaneTokenClaims {
    name = name == null ? "" : name;
    mesh = mesh == null ? "" : mesh;
    type = type == null ? "" : type;
    workload = workload == null ? "" : workload;
    tags = copy(tags);
  }

  /** The claims in Go's field order (struct fields, then the registered claims). */
  public Map<String, Object> toClaims() {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("Name", name);
    claims.put("Mesh", mesh);
    claims.put("Tags", tags);
    claims.put("Type", type);
    claims.put("Workload", workload);
    claims.put("exp", expiresAt.getEpochSecond());
    claims.put("nbf", notBefore.getEpochSecond());
    claims.put("iat", issuedAt.getEpochSecond());
    claims.put("jti", jti);
    return claims;
  }

  /**
   * Reads a payload; anything that is not Kuma's shape is refused as {@link Reason#MALFORMED}.
   * {@code exp} and {@code jti} are required (every token this control plane or Kuma 2.x issues has
   * them); {@code nbf} and {@code iat} are optional.
   */
  public static DataplaneTokenClaims fromJson(byte[] payload) {
    JsonNode root;
    try {
      root = READER.readTree(payload);
    } catch (IOException e) {
      throw malformed("its payload is not JSON");
    }
    if (root == null || !root.isObject()) {
      throw malformed("its payload is not a JSON object");
    }
    Instant expiresAt = numericDate(root, "exp");
    if (expiresAt == null) {
      throw malformed("it has no expiry (exp claim)");
    }
    String jti = string(root, "jti");
    if (jti.isEmpty()) {
      throw malformed("it has no id (jti claim), so it could not be revoked");
    }
    return new DataplaneTokenClaims(
        string(root, "Name"),
        string(root, "Mesh"),
        tags(root.get("Tags")),
        string(root, "Type"),
        string(root, "Workload"),
        jti,
        numericDate(root, "iat"),
        numericDate(root, "nbf"),
        expiresAt);
  }

  private static String string(JsonNode root, String claim) {
    JsonNode value = root.get(claim);
    if (value == null || value.isNull()) {
      return "";
    }
    if (!value.isTextual()) {
      throw malformed("its " + claim + " claim is not a string");
    }
    return value.textValue();
  }

  private static Instant numericDate(JsonNode root, String claim) {
    JsonNode value = root.get(claim);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isNumber()) {
      throw malformed("its " + claim + " claim is not a number of seconds");
    }
    double seconds = value.asDouble();
    if (!Double.isFinite(seconds) || Math.abs(seconds) > 253402300799d) {
      throw malformed("its " + claim + " claim is out of range");
    }
    long whole = (long) Math.floor(seconds);
    return Instant.ofEpochSecond(whole, (long) ((seconds - whole) * 1e9));
  }

  private static SortedMap<String, List<String>> tags(JsonNode node) {
    if (node == null || node.isNull()) {
      return Collections.emptySortedMap();
    }
    if (!node.isObject()) {
      throw malformed("its Tags claim is not a map of tag names to lists of values");
    }
    SortedMap<String, List<String>> tags = new TreeMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode values = field.getValue();
      if (!values.isArray()) {
        throw malformed("its Tags claim is not a map of tag names to lists of values");
      }
      List<String> list = new ArrayList<>(values.size());
      for (JsonNode value : values) {
        if (!value.isTextual()) {
          throw malformed("its Tags claim is not a map of tag names to lists of values");
        }
        list.add(value.textValue());
      }
      tags.put(field.getKey(), List.copyOf(list));
    }
    return Collections.unmodifiableSortedMap(tags);
  }

  private static SortedMap<String, List<String>> copy(SortedMap<String, List<String>> tags) {
    if (tags == null || tags.isEmpty()) {
      return Collections.emptySortedMap();
    }
    TreeMap<String, List<String>> copy = new TreeMap<>();
    tags.forEach((key, values) -> copy.put(key, List.copyOf(values)));
    return Collections.unmodifiableSortedMap(copy);
  }

  static TokenRefusedException malformed(String why) {
    return new TokenRefusedException(Reason.MALFORMED, "the dataplane token is malformed: " + why);
  }
}

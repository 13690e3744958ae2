package dev.quma.tokens.testing;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** Issues tokens over HTTP, as an admin on localhost would. */
public final class Issue {
  private Issue() {}

  public static String token(String mesh, String name, String service) {
    return token(mesh, name, service, "1h");
  }

  public static String token(String mesh, String name, String service, String validFor) {
    return given()
        .contentType(ContentType.JSON)
        .body(
            Map.of(
                "mesh",
                mesh,
                "name",
                name,
                "tags",
                Map.of("kuma.io/service", java.util.List.of(service)),
                "type",
                "dataplane",
                "validFor",
                validFor))
        .post("/tokens/dataplane")
        .then()
        .statusCode(200)
        .extract()
        .asString();
  }

  /** The jti claim, read without verifying. */
  public static String jti(String token) {
    String payload =
        new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
    int at = payload.indexOf("\"jti\":\"") + 7;
    return payload.substring(at, payload.indexOf('"', at));
  }

  public static String kid(String token) {
    String header =
        new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8);
    int at = header.indexOf("\"kid\":\"") + 7;
    return header.substring(at, header.indexOf('"', at));
  }
}

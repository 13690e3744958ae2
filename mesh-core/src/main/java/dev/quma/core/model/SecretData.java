package dev.quma.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The spec of a Secret or GlobalSecret: base64 data, as Kuma's {@code {"data": "..."}}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SecretData(String data) {

  @Override
  public String toString() {
    return "SecretData[data=<redacted>]";
  }
}

package dev.quma.core.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Optional;

/**
 * The kind of proxy a data plane runs, with Kuma's wire names (the bootstrap request's {@code
 * proxyType}, a dataplane token's {@code Type} claim).
 */
public enum ProxyType {
  DATAPLANE("dataplane"),
  INGRESS("ingress"),
  EGRESS("egress");

  private final String wireName;

  ProxyType(String wireName) {
    this.wireName = wireName;
  }

  @JsonValue
  public String wireName() {
    return wireName;
  }

  /** The type of a wire name ({@code "dataplane"}, ...); empty for anything else. */
  public static Optional<ProxyType> fromWireName(String name) {
    for (ProxyType type : values()) {
      if (type.wireName.equals(name)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return wireName;
  }
}

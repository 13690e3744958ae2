package dev.quma.xds.envoy;

import com.google.protobuf.Any;
import com.google.protobuf.Message;

/** Packs typed configs; every filter and extension of the generated config goes through here. */
public final class EnvoyAny {
  private EnvoyAny() {}

  public static Any pack(Message message) {
    return Any.pack(message);
  }
}

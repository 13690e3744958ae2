package dev.quma.xds.envoy;

import com.google.protobuf.Any;
import com.google.protobuf.Message;

/** Packs typed configs; every filter and extension of the generated config goes through here. */
final class EnvoyAny {
  private EnvoyAny() {}

  static Any pack(Message message) {
    return Any.pack(message);
  }
}

package dev.quma.xds.testing;

import com.google.protobuf.Message;
import dev.quma.envoyrules.EnvoyRules;
import dev.quma.envoyrules.Violation;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** Envoy's rules applied to a whole snapshot, as one push of every type it holds. */
public final class SnapshotRules {
  private SnapshotRules() {}

  public static List<Violation> check(Snapshot snapshot) {
    List<Message> all = new ArrayList<>(new TreeMap<>(snapshot.listeners().resources()).values());
    all.addAll(new TreeMap<>(snapshot.routes().resources()).values());
    all.addAll(new TreeMap<>(snapshot.clusters().resources()).values());
    all.addAll(new TreeMap<>(snapshot.endpoints().resources()).values());
    all.addAll(new TreeMap<>(snapshot.secrets().resources()).values());
    return EnvoyRules.checkPush(all);
  }
}

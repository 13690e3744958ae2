package dev.quma.xds.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.envoyrules.Violation;
import dev.quma.xds.snapshot.ProxySnapshots;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The snapshot cache the discovery server serves from, judging each snapshot by Envoy's rules as it
 * is set: what the xDS tests push is what an Envoy would accept. It records what it finds rather
 * than throwing (a throw would land in the change handling, far from the test).
 */
public final class JudgingCache extends SimpleCache<String> {
  private final List<String> violations = new CopyOnWriteArrayList<>();
  private final AtomicLong judged = new AtomicLong();
  private final Map<String, AtomicLong> setPerNode = new ConcurrentHashMap<>();

  public JudgingCache() {
    super(Node::getId);
  }

  @Override
  public synchronized void setSnapshot(String group, Snapshot snapshot) {
    judged.incrementAndGet();
    setPerNode.computeIfAbsent(group, g -> new AtomicLong()).incrementAndGet();
    try {
      for (Violation violation : SnapshotRules.check(snapshot)) {
        violations.add(group + ": " + violation);
      }
    } catch (RuntimeException e) {
      violations.add(group + ": the judge failed: " + e);
    }
    super.setSnapshot(group, snapshot);
  }

  /** How many snapshots were set for one node (each one a push, if its stream is waiting). */
  public static long snapshotsSetFor(ProxySnapshots snapshots, String nodeId) {
    AtomicLong count = ((JudgingCache) snapshots.cache()).setPerNode.get(nodeId);
    return count == null ? 0 : count.get();
  }

  /** For a test's end: every snapshot set so far passed Envoy's rules. */
  public static void assertEveryPushValid(ProxySnapshots snapshots) {
    assertThat(snapshots.cache())
        .as("the xDS tests' snapshots are judged (JudgedSnapshots)")
        .isInstanceOf(JudgingCache.class);
    JudgingCache cache = (JudgingCache) snapshots.cache();
    // Taken, so that one test's finding is not blamed on the tests after it (one app for all).
    List<String> found = List.copyOf(cache.violations);
    cache.violations.removeAll(found);
    assertThat(found)
        .as("Envoy's rules over the %d snapshots pushed", cache.judged.get())
        .isEmpty();
  }
}

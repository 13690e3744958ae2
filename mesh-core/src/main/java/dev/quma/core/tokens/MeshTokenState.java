package dev.quma.core.tokens;

import java.util.Collections;
import java.util.HashSet;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * What verification needs to know about one mesh, as of one moment: its signing keys by serial
 * number and its revoked token ids. Immutable; a refresh makes a new one.
 *
 * @param streamPosition id of the last change-stream entry this state accounts for
 * @param refreshStartedNanos {@link System#nanoTime()} when the refresh that made it began: the
 *     state reflects every write committed before then
 * @param missingSerials serials looked up and found absent since the last reload (so that a flood
 *     of tokens naming a removed key costs one store read, not one each)
 */
record MeshTokenState(
    String mesh,
    NavigableMap<Integer, SigningKeyInfo> keys,
    Set<String> revoked,
    String streamPosition,
    long refreshStartedNanos,
    Set<Integer> missingSerials) {

  private static final int MAX_MISSING = 1024;

  MeshTokenState {
    keys = Collections.unmodifiableNavigableMap(new TreeMap<>(keys));
    revoked = Set.copyOf(revoked);
    missingSerials = Set.copyOf(missingSerials);
  }

  SigningKeyInfo key(int serial) {
    return keys.get(serial);
  }

  /** The key that signs new tokens: the highest serial. */
  SigningKeyInfo latest() {
    Map.Entry<Integer, SigningKeyInfo> last = keys.lastEntry();
    return last == null ? null : last.getValue();
  }

  MeshTokenState at(String position, long startedNanos) {
    return new MeshTokenState(mesh, keys, revoked, position, startedNanos, missingSerials);
  }

  MeshTokenState withKey(SigningKeyInfo key) {
    NavigableMap<Integer, SigningKeyInfo> more = new TreeMap<>(keys);
    more.put(key.serial(), key);
    return new MeshTokenState(
        mesh, more, revoked, streamPosition, refreshStartedNanos, missingSerials);
  }

  MeshTokenState withMissing(int serial) {
    if (missingSerials.size() >= MAX_MISSING) {
      return this;
    }
    Set<Integer> more = new HashSet<>(missingSerials);
    more.add(serial);
    return new MeshTokenState(mesh, keys, revoked, streamPosition, refreshStartedNanos, more);
  }
}

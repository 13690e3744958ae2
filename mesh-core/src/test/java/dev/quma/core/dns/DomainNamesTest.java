package dev.quma.core.dns;

import static dev.quma.testing.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.testing.MutableClock;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Lookups, the address kept for a name, change notices and forgetting, with a resolver of the
 * test's.
 */
class DomainNamesTest {
  private final Map<String, List<String>> answers = new ConcurrentHashMap<>();
  private final AtomicInteger lookups = new AtomicInteger();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-03T10:00:00Z"));
  private final List<Set<String>> changes = new CopyOnWriteArrayList<>();
  private final DomainNames names =
      new DomainNames(
          name -> {
            lookups.incrementAndGet();
            List<String> ips = answers.get(name);
            if (ips == null) {
              throw new UnknownHostException(name);
            }
            List<InetAddress> out = new ArrayList<>();
            for (String ip : ips) {
              out.add(InetAddress.getByName(ip));
            }
            return out;
          },
          clock,
          Duration.ofHours(1), // refreshed by hand below
          Duration.ofMinutes(10));

  @AfterEach
  void close() {
    names.close();
  }

  @Test
  void aNewNameIsLookedUpOnceAndTheListenersHearOfIt() {
    names.onChange(changes::add);
    answers.put("db.test", List.of("10.0.0.5"));

    assertThat(names.current("db.test")).as("not looked up yet").isNull();
    DomainNames.Resolution resolved = names.resolve("db.test").await().indefinitely();

    assertThat(resolved.address()).isEqualTo("10.0.0.5");
    assertThat(names.current("db.test")).isEqualTo(resolved);
    assertThat(lookups.get()).isEqualTo(1);
    // The lookup thread stores the result before it tells the listeners, so resolve() may answer
    // first.
    assertThat(eventually(Duration.ofSeconds(5), () -> !changes.isEmpty())).isTrue();
    assertThat(changes).containsExactly(Set.of("db.test"));
  }

  @Test
  void theAddressKeptIsStableWhileTheDnsServerRotatesItsAnswersAndIpv4ComesFirst() {
    answers.put("db.test", List.of("fd00::1", "10.0.0.1", "10.0.0.2"));
    assertThat(names.resolve("db.test").await().indefinitely().address()).isEqualTo("10.0.0.1");

    answers.put("db.test", List.of("10.0.0.2", "10.0.0.1"));
    refreshAndAwaitLookup(2);
    assertThat(names.current("db.test").address()).isEqualTo("10.0.0.1");

    answers.put("db.test", List.of("10.0.0.3"));
    names.refresh();
    assertThat(awaitCurrent(r -> "10.0.0.3".equals(r.address()))).isTrue();
  }

  @Test
  void aNameThatStopsResolvingSaysWhyAndOneNoOneAsksForIsForgotten() {
    answers.put("db.test", List.of("10.0.0.1"));
    names.resolve("db.test").await().indefinitely();

    answers.remove("db.test");
    names.refresh();
    assertThat(awaitCurrent(r -> !r.resolved())).isTrue();
    DomainNames.Resolution gone = names.current("db.test");
    assertThat(gone.resolved()).isFalse();
    assertThat(gone.problem()).isEqualTo("does not resolve");

    clock.advance(Duration.ofMinutes(11));
    names.refresh();
    assertThat(names.current("db.test")).as("forgotten: looked up afresh").isNull();
  }

  @Test
  void ipLiteralsAreNoDomainNames() {
    assertThat(DomainNames.isDomainName("10.0.0.1")).isFalse();
    assertThat(DomainNames.isDomainName("fd00::1")).isFalse();
    assertThat(DomainNames.isDomainName("redis.internal")).isTrue();
    assertThat(DomainNames.isDomainName(null)).isFalse();
  }

  /** Refreshes, and waits until the lookup is done and a moment more for its result to be set. */
  private void refreshAndAwaitLookup(int lookupsBy) {
    names.refresh();
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (lookups.get() < lookupsBy && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    awaitCurrent(r -> false); // nothing to wait for but time: the result stays what it was
  }

  private boolean awaitCurrent(java.util.function.Predicate<DomainNames.Resolution> condition) {
    long deadline = System.nanoTime() + Duration.ofMillis(500).toNanos();
    while (System.nanoTime() < deadline) {
      DomainNames.Resolution now = names.current("db.test");
      if (now != null && condition.test(now)) {
        return true;
      }
      Thread.onSpinWait();
    }
    return false;
  }
}

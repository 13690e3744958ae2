package dev.quma.xds.health;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One timer for every health check stream of a replica: each refresh interval, each serving stream
 * builds its specifier again if its dataplane changed. A set entry per stream costs less than a
 * scheduled task of its own, and ten thousand streams make one task, not ten thousand.
 */
final class SpecifierRefresh {
  private final Set<HealthStream> streams = ConcurrentHashMap.newKeySet();

  SpecifierRefresh(ScheduledExecutorService timers, Duration every) {
    long millis = every.toMillis();
    timers.scheduleWithFixedDelay(this::refreshAll, millis, millis, TimeUnit.MILLISECONDS);
  }

  void add(HealthStream stream) {
    streams.add(stream);
  }

  void remove(HealthStream stream) {
    streams.remove(stream);
  }

  private void refreshAll() {
    for (HealthStream stream : streams) {
      stream.refresh();
    }
  }
}

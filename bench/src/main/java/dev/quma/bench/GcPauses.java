package dev.quma.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The stop-the-world pauses of this JVM (the benchmark's simulated fleet), as its collectors report
 * them, so that a latency figure can be read next to the load side's own pauses. Concurrent cycles
 * (ZGC's "Cycles", G1's "Concurrent GC") are not pauses and are left out, and so are the
 * benchmark's own collections between its phases ({@code System.gc()}).
 */
final class GcPauses {
  private final List<Long> pauseMillis = new ArrayList<>();

  GcPauses() {
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      String name = collector.getName();
      if (name.contains("Cycles") || name.contains("Concurrent")) {
        continue;
      }
      ((NotificationEmitter) collector)
          .addNotificationListener(
              (notification, handback) -> {
                if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                    notification.getType())) {
                  GarbageCollectionNotificationInfo info =
                      GarbageCollectionNotificationInfo.from(
                          (CompositeData) notification.getUserData());
                  if (info.getGcCause().equals("System.gc()")) {
                    return; // the benchmark's own, between its phases
                  }
                  long millis = info.getGcInfo().getDuration();
                  synchronized (pauseMillis) {
                    pauseMillis.add(millis);
                  }
                }
              },
              null,
              null);
    }
  }

  /** Where the pauses recorded so far end: {@link #since} counts the ones after it. */
  int mark() {
    synchronized (pauseMillis) {
      return pauseMillis.size();
    }
  }

  /** The pauses after {@code mark}: count, total and longest (ms). */
  Map<String, Object> since(int mark) {
    List<Long> pauses;
    synchronized (pauseMillis) {
      pauses = List.copyOf(pauseMillis.subList(mark, pauseMillis.size()));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("collector", collectors());
    out.put("pauses", pauses.size());
    out.put("total_ms", pauses.stream().mapToLong(Long::longValue).sum());
    out.put("max_ms", pauses.stream().mapToLong(Long::longValue).max().orElse(0));
    return out;
  }

  private static String collectors() {
    return String.join(
        ", ",
        ManagementFactory.getGarbageCollectorMXBeans().stream()
            .map(GarbageCollectorMXBean::getName)
            .toList());
  }
}

package dev.quma.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time (user + system) a process has used, from {@code /proc}: unlike throughput, it says what
 * the work costs whatever else the shared machine is doing.
 */
final class CpuTime {
  private CpuTime() {}

  // Linux reports these in clock ticks; 100 per second on every common kernel configuration.
  private static final long NANOS_PER_TICK = 10_000_000L;

  static long ofThisProcess() {
    return ofProcess(ProcessHandle.current().pid());
  }

  /**
   * CPU used so far by every process whose command line contains {@code marker}: e.g. the
   * PostgreSQL backends serving one database, whose titles name it.
   */
  static long ofProcessesNamed(String marker) {
    long total = 0;
    try (var entries = Files.list(Path.of("/proc"))) {
      for (Path entry : (Iterable<Path>) entries::iterator) {
        String name = entry.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String commandLine = Files.readString(entry.resolve("cmdline"));
          if (commandLine.contains(marker)) {
            total += ofProcess(Long.parseLong(name));
          }
        } catch (IOException | RuntimeException e) {
          // the process ended meanwhile
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return total;
  }

  /** Nanoseconds of CPU used so far; 0 where {@code /proc} is not there. */
  static long ofProcess(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // Fields after the command name (which may contain spaces) start after the last ')'.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long utime = Long.parseLong(fields[11]);
      long stime = Long.parseLong(fields[12]);
      return (utime + stime) * NANOS_PER_TICK;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}

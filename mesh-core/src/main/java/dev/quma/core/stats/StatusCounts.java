package dev.quma.core.stats;

/** Dataplanes (or services) by status, as Kuma's {@code DataplaneStat} counts them. */
public record StatusCounts(long online, long offline, long partiallyDegraded) {
  public static final StatusCounts ZERO = new StatusCounts(0, 0, 0);

  public long total() {
    return online + offline + partiallyDegraded;
  }

  public StatusCounts plus(StatusCounts other) {
    return new StatusCounts(
        online + other.online,
        offline + other.offline,
        partiallyDegraded + other.partiallyDegraded);
  }

  /** These counts with {@code n} more of {@code status} (online, offline, partiallyDegraded). */
  StatusCounts with(String status, long n) {
    return switch (status) {
      case "online" -> new StatusCounts(online + n, offline, partiallyDegraded);
      case "offline" -> new StatusCounts(online, offline + n, partiallyDegraded);
      case "partiallyDegraded" -> new StatusCounts(online, offline, partiallyDegraded + n);
      default -> this;
    };
  }
}

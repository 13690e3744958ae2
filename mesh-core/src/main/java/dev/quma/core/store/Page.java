package dev.quma.core.store;

import java.util.List;
import java.util.OptionalLong;

/** One page of a listing: the items, how many match in all, and where the next page starts. */
public record Page<T>(long total, List<T> items, OptionalLong nextOffset) {
  public Page {
    items = List.copyOf(items);
  }

  static <T> Page<T> of(long total, List<T> items, ListQuery query) {
    long end = query.end();
    return new Page<>(total, items, end < total ? OptionalLong.of(end) : OptionalLong.empty());
  }
}

package dev.quma.core.store;

import dev.quma.core.model.Dataplane;
import dev.quma.core.model.Resource;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Request;

/**
 * The format of a type's tag index ({@link Keys#tagIndex}): a sorted set of {@code
 * key\1value\1name} entries, one per distinct tag of a dataplane, read by key with a lexical range.
 * The resource's record keeps its entries ({@code key\1value}, field {@code ti}) so that the write
 * scripts can replace them.
 */
final class TagIndex {
  private static final char SEPARATOR = '\1';

  /**
   * The entry of a gateway dataplane carries this key (not a valid tag key, so no tag filter meets
   * it by accident) and its gateway type as value.
   */
  static final String GATEWAY_KEY = "@gateway";

  private TagIndex() {}

  /** One entry, split. */
  record Entry(String key, String value, String name) {}

  /**
   * A resource's entries, {@code key\1value} joined by newlines: one per distinct tag of a
   * dataplane, and one for its gateway type when it is a gateway; none for other types.
   */
  static String entries(Resource<?> resource) {
    if (!(resource.spec() instanceof Dataplane dataplane)) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    if (dataplane.hasGateway()) {
      out.append(GATEWAY_KEY)
          .append(SEPARATOR)
          .append(dataplane.networking().gateway().effectiveType().name());
    }
    dataplane
        .tags()
        .forEach(
            (key, values) -> {
              for (String value : values) {
                if (!out.isEmpty()) {
                  out.append('\n');
                }
                out.append(key).append(SEPARATOR).append(value);
              }
            });
    return out.toString();
  }

  /** The entries of one tag key in the index {@code index}. */
  static Request byKey(String index, String key) {
    return Request.cmd(Command.ZRANGEBYLEX)
        .arg(index)
        .arg("[" + key + SEPARATOR)
        .arg("(" + key + (char) (SEPARATOR + 1));
  }

  static Entry parse(String entry) {
    int first = entry.indexOf(SEPARATOR);
    int second = entry.indexOf(SEPARATOR, first + 1);
    return new Entry(
        entry.substring(0, first), entry.substring(first + 1, second), entry.substring(second + 1));
  }
}

package dev.quma.core.store;

import io.vertx.mutiny.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/** Reading Redis replies. */
final class Replies {
  private Replies() {}

  /** The items of an array reply as strings (none for a null reply). */
  static List<String> strings(Response response) {
    if (response == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>(response.size());
    for (Response item : response) {
      out.add(item.toString());
    }
    return out;
  }
}

package dev.quma.core.store;

import io.vertx.mutiny.redis.client.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading Redis replies. */
public final class Replies {
  private Replies() {}

  /** The fields and values of an HGETALL reply (none for a null reply). */
  public static Map<String, String> hash(Response reply) {
    Map<String, String> out = new LinkedHashMap<>();
    if (reply == null) {
      return out;
    }
    if (reply.getDelegate().isMap()) { // RESP3 answers HGETALL with a map, RESP2 with a list
      for (String field : reply.getKeys()) {
        Response value = reply.get(field);
        if (value != null) {
          out.put(field, value.toString());
        }
      }
    } else {
      for (int i = 0; i + 1 < reply.size(); i += 2) {
        Response value = reply.get(i + 1);
        if (value != null) {
          out.put(reply.get(i).toString(), value.toString());
        }
      }
    }
    return out;
  }

  /** The items of an array reply as strings (none for a null reply). */
  public static List<String> strings(Response response) {
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

package dev.quma.core.events;

/**
 * One entry of a change stream: what happened to which resource, and the version it got. {@code id}
 * is the stream entry id; a follower resumes after the last id it handled.
 */
public record ChangeEvent(String id, Op op, String type, String mesh, String name, long version) {

  public enum Op {
    CREATE,
    UPDATE,
    DELETE
  }

  /** When the change was written (epoch ms, by the Redis server's clock). */
  public long millis() {
    return StreamIds.millis(id);
  }
}

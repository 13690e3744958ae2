package dev.quma.envoyrules;

/**
 * One broken rule.
 *
 * @param resource the resource it is in, as {@code Type name} (for example {@code Cluster redis})
 * @param path where in that resource, as protobuf field names with list indexes and the unpacked
 *     type of an {@code Any} in parentheses ({@code
 *     filter_chains[0].filters[0].typed_config(HttpConnectionManager).route_config})
 * @param rule what is wrong: PGV's field and reason with the value found, or a cross-check's words
 */
public record Violation(String resource, String path, String rule) {
  @Override
  public String toString() {
    return resource + (path.isEmpty() ? "" : " at " + path) + ": " + rule;
  }
}

package dev.quma.xds.snapshot;

/**
 * A proxy, as Envoy names itself in its node id: {@code mesh.name}. Mesh names cannot contain a dot
 * before the first one, so the id splits at the first dot, as in Kuma.
 */
public record ProxyKey(String mesh, String name) {

  public static ProxyKey parse(String nodeId) {
    int dot = nodeId == null ? -1 : nodeId.indexOf('.');
    if (dot <= 0 || dot == nodeId.length() - 1) {
      throw new IllegalArgumentException("node id \"" + nodeId + "\" is not of the form mesh.name");
    }
    return new ProxyKey(nodeId.substring(0, dot), nodeId.substring(dot + 1));
  }

  public String nodeId() {
    return mesh + "." + name;
  }

  @Override
  public String toString() {
    return nodeId();
  }
}

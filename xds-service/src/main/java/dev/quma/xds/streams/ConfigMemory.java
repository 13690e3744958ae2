package dev.quma.xds.streams;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one ADS stream sent its proxy and what the proxy made of it, per xDS type: the resources of
 * the latest response it acknowledged (as Envoy keeps them: a rejected update leaves the previous
 * config in place), the latest response sent, and the latest rejection with Envoy's message. The
 * stream tells it every response and every ACK or NACK; the config dump reads it. Resources are
 * held by reference (the snapshot already holds them), so a stream costs a few maps of pointers.
 */
public final class ConfigMemory {
  /** Responses awaiting their ACK or NACK, per type, before the oldest is forgotten. */
  private static final int PENDING_KEPT = 16;

  /** How the stream speaks xDS. */
  public enum Protocol {
    SOTW,
    DELTA
  }

  /** One resource as the proxy holds it. */
  public record Held(String name, String version, Any resource, Instant lastUpdated) {}

  /** One response as it was sent: a full set (SotW) or changes (Delta). */
  public record Sent(
      String version, String nonce, Instant at, List<Named> resources, List<String> removed) {}

  /** A resource of a response, with its name (and, in Delta, its own version). */
  public record Named(String name, String version, Any resource) {}

  /** The latest rejection: the response's version and nonce, and Envoy's message. */
  public record Rejection(String version, String nonce, Instant at, String message, Sent sent) {}

  /** What the dump shows of one type. */
  public record TypeView(
      String typeUrl,
      String ackedVersion,
      String ackedNonce,
      Instant ackedAt,
      List<Held> held,
      Sent lastSent,
      Rejection lastRejection) {}

  private final Protocol protocol;
  private final Map<String, TypeState> types = new TreeMap<>();

  public ConfigMemory(Protocol protocol) {
    this.protocol = protocol;
  }

  public Protocol protocol() {
    return protocol;
  }

  /** A state-of-the-world response: the full set of its type's resources. */
  public synchronized void sentAll(
      String typeUrl, String version, String nonce, List<Any> resources, Instant at) {
    List<Named> named = new ArrayList<>(resources.size());
    for (Any resource : resources) {
      named.add(new Named(nameOf(resource), version, resource));
    }
    state(typeUrl).sent(new Sent(version, nonce, at, named, List.of()));
  }

  /** A Delta response: changed resources (each with its version) and removed names. */
  public synchronized void sentChanges(
      String typeUrl,
      String systemVersion,
      String nonce,
      List<Named> resources,
      List<String> removed,
      Instant at) {
    state(typeUrl).sent(new Sent(systemVersion, nonce, at, resources, List.copyOf(removed)));
  }

  /** The proxy applied the response with this nonce. */
  public synchronized void acknowledged(String typeUrl, String nonce, Instant at) {
    TypeState state = types.get(typeUrl);
    if (state == null) {
      return;
    }
    Sent sent = state.pending.remove(nonce);
    if (sent == null) {
      return; // an old nonce, already superseded and forgotten
    }
    Map<String, Held> next = protocol == Protocol.SOTW ? new TreeMap<>() : state.held;
    if (protocol == Protocol.DELTA) {
      sent.removed().forEach(next::remove);
    }
    for (Named resource : sent.resources()) {
      Held before = state.held.get(resource.name());
      boolean same = before != null && before.resource().equals(resource.resource());
      next.put(
          resource.name(),
          new Held(
              resource.name(),
              resource.version(),
              resource.resource(),
              same ? before.lastUpdated() : at));
    }
    state.held = next;
    state.ackedVersion = sent.version();
    state.ackedNonce = nonce;
    state.ackedAt = at;
  }

  /** The proxy rejected the response with this nonce; it keeps what it had. */
  public synchronized void rejected(String typeUrl, String nonce, String message, Instant at) {
    TypeState state = types.get(typeUrl);
    if (state == null) {
      return;
    }
    Sent sent = state.pending.remove(nonce);
    String version = sent == null ? "" : sent.version();
    state.lastRejection = new Rejection(version, nonce, at, message, sent);
  }

  /** Every type this stream carried, as the dump shows it. */
  public synchronized List<TypeView> view() {
    List<TypeView> out = new ArrayList<>(types.size());
    types.forEach(
        (typeUrl, state) ->
            out.add(
                new TypeView(
                    typeUrl,
                    state.ackedVersion,
                    state.ackedNonce,
                    state.ackedAt,
                    List.copyOf(state.held.values()),
                    state.lastSent,
                    state.lastRejection)));
    return out;
  }

  private TypeState state(String typeUrl) {
    return types.computeIfAbsent(typeUrl, t -> new TypeState());
  }

  /**
   * The name of a Listener, Cluster, RouteConfiguration or ClusterLoadAssignment: field 1 of each,
   * read from the packed bytes without decoding the rest.
   */
  public static String nameOf(Any resource) {
    ByteString bytes = resource.getValue();
    try {
      CodedInputStream in = bytes.newCodedInput();
      while (true) {
        int tag = in.readTag();
        if (tag == 0) {
          return "";
        }
        if (WireFormat.getTagFieldNumber(tag) == 1
            && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
          return in.readStringRequireUtf8();
        }
        if (!in.skipField(tag)) {
          return "";
        }
      }
    } catch (IOException e) {
      return "";
    }
  }

  private static final class TypeState {
    private final LinkedHashMap<String, Sent> pending = new LinkedHashMap<>();
    private Map<String, Held> held = new TreeMap<>();
    private String ackedVersion = "";
    private String ackedNonce = "";
    private Instant ackedAt;
    private Sent lastSent;
    private Rejection lastRejection;

    void sent(Sent sent) {
      lastSent = sent;
      pending.put(sent.nonce(), sent);
      if (pending.size() > PENDING_KEPT) {
        Iterator<String> oldest = pending.keySet().iterator();
        oldest.next();
        oldest.remove();
      }
    }
  }
}

package dev.quma.bootstrap.envoy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Prints a bootstrap as Envoy reads it: protobuf JSON, or the same document as YAML.
 *
 * <p>Protobuf's JSON printer works by reflection and was half of a bootstrap's CPU cost. Every
 * bootstrap of a replica shares the same static resources (the xDS cluster with its CA), so their
 * printed form is kept and reused while the factory hands out the same instance; only the node,
 * admin and dynamic resources are printed per proxy.
 */
public final class BootstrapRenderer {
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer()
          .usingTypeRegistry(
              JsonFormat.TypeRegistry.newBuilder()
                  .add(HttpProtocolOptions.getDescriptor())
                  .add(UpstreamTlsContext.getDescriptor())
                  .build());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML =
      new YAMLMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
              // Metadata such as dataplane.admin.port is a string that looks like a number.
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
              .build());

  /** The static resources last printed, with their JSON tree and YAML text. */
  private record Printed(Bootstrap.StaticResources source, ObjectNode json, String yaml) {}

  private static volatile Printed lastStatic;

  private BootstrapRenderer() {}

  public static String json(Bootstrap bootstrap) {
    ObjectNode tree = perProxyPart(bootstrap);
    if (bootstrap.hasStaticResources()) {
      tree.set("staticResources", printedStatic(bootstrap.getStaticResources()).json());
    }
    return tree.toString();
  }

  public static String yaml(Bootstrap bootstrap) {
    try {
      String perProxy = YAML.writeValueAsString(perProxyPart(bootstrap));
      if (!bootstrap.hasStaticResources()) {
        return perProxy;
      }
      return perProxy + printedStatic(bootstrap.getStaticResources()).yaml();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode perProxyPart(Bootstrap bootstrap) {
    return tree(bootstrap.toBuilder().clearStaticResources().build());
  }

  private static Printed printedStatic(Bootstrap.StaticResources resources) {
    Printed printed = lastStatic;
    // Identity first: the factory reuses one instance; equals() covers any other caller.
    if (printed != null && (printed.source() == resources || printed.source().equals(resources))) {
      return printed;
    }
    ObjectNode json = tree(resources);
    ObjectNode wrapper = JSON.createObjectNode();
    wrapper.set("staticResources", json);
    try {
      printed = new Printed(resources, json, YAML.writeValueAsString(wrapper));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    lastStatic = printed;
    return printed;
  }

  private static ObjectNode tree(Message message) {
    try {
      return (ObjectNode) JSON.readTree(PRINTER.print(message));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("the bootstrap cannot be printed: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

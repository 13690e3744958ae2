package dev.quma.bootstrap.envoy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Prints a bootstrap as Envoy reads it: protobuf JSON, or the same document as YAML. */
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

  private BootstrapRenderer() {}

  public static String json(Bootstrap bootstrap) {
    try {
      return PRINTER.print(bootstrap);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("the bootstrap cannot be printed: " + e.getMessage(), e);
    }
  }

  public static String yaml(Bootstrap bootstrap) {
    try {
      JsonNode tree = JSON.readTree(json(bootstrap));
      return YAML.writeValueAsString(tree);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

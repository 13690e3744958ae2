package dev.quma.xds.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Renders Envoy resources as YAML in the shape of Kuma's golden files ({@code resources: [{name,
 * resource}]}) and compares them with a file under src/test/resources/golden.
 *
 * <p>Regenerating is explicit: run the tests with {@code -Dgolden.update=true} (for example {@code
 * bin/test -o -pl xds-service -am -Dtest=ProxyConfigGoldenTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dgolden.update=true}) to write the files, then review
 * the diff like code. Without the flag a missing golden file fails the test, as a changed one does.
 */
public final class GoldenFiles {
  private GoldenFiles() {}

  static final Path DIR = Path.of("src/test/resources/golden");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML =
      new YAMLMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .build());
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer()
          .usingTypeRegistry(
              JsonFormat.TypeRegistry.newBuilder()
                  .add(TcpProxy.getDescriptor())
                  .add(HttpConnectionManager.getDescriptor())
                  .add(Router.getDescriptor())
                  .add(HttpProtocolOptions.getDescriptor())
                  .build());

  public static String render(List<? extends Message> resources) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode list = root.putArray("resources");
    for (Message resource : resources) {
      ObjectNode item = list.addObject();
      item.put("name", io.envoyproxy.controlplane.cache.Resources.getResourceName(resource));
      item.set("resource", tree(resource));
    }
    try {
      return YAML.writeValueAsString(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The expected text of a golden file, after rewriting it first when {@code golden.update} is set.
   */
  public static String expected(String file, String actual) {
    Path path = DIR.resolve(file);
    try {
      if (Boolean.getBoolean("golden.update")) {
        Files.writeString(path, actual);
      }
      if (!Files.exists(path)) {
        throw new AssertionError(
            "no golden file "
                + path
                + ": run the test with -Dgolden.update=true to write it, then review it");
      }
      return Files.readString(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode tree(Message message) {
    try {
      ObjectNode node = JSON.createObjectNode();
      node.put("@type", "type.googleapis.com/" + message.getDescriptorForType().getFullName());
      node.setAll((ObjectNode) JSON.readTree(PRINTER.print(message)));
      return node;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

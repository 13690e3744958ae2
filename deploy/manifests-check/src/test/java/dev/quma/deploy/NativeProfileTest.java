package dev.quma.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The parent pom's {@code native} profile: off unless asked for, Quarkus 3's switches, and a list
 * of resources that covers every resource the services read at run time (a native image holds only
 * those it is told to, so a new Lua script outside the globs would be missing only there, where
 * nobody builds here).
 */
class NativeProfileTest {
  /** Resources Quarkus itself puts into the native image, or only it reads (at build time). */
  private static final List<String> HANDLED_BY_QUARKUS =
      List.of("application.properties", "META-INF/beans.xml");

  /** Modules that are not Quarkus services and never go into a native image. */
  private static final List<String> NOT_IN_A_SERVICE =
      List.of("bench", "envoy-sim", "qumactl", "local-infra", "deploy", "test-support", "e2e");

  @Test
  void theNativeProfileIsOffByDefaultAndUsesQuarkus3Names() throws Exception {
    Map<String, String> properties = nativeProfile();

    assertThat(properties)
        .containsEntry("quarkus.native.enabled", "true")
        .containsEntry("quarkus.package.jar.enabled", "false")
        .doesNotContainKey("quarkus.package.type");
  }

  @Test
  void everyResourceReadAtRunTimeIsIncludedInTheNativeImage() throws Exception {
    List<PathMatcher> includes =
        Arrays.stream(nativeProfile().get("quarkus.native.resources.includes").split(","))
            .map(glob -> FileSystems.getDefault().getPathMatcher("glob:" + glob.trim()))
            .toList();
    Path root = projectRoot();

    List<Path> resources;
    try (Stream<Path> files = Files.walk(root)) {
      resources =
          files
              .filter(Files::isRegularFile)
              .filter(f -> !f.toString().contains("/target/") && !f.toString().contains("/.git/"))
              .filter(f -> f.toString().contains("/src/main/resources/"))
              .filter(
                  f -> NOT_IN_A_SERVICE.stream().noneMatch(m -> root.relativize(f).startsWith(m)))
              .toList();
    }
    assertThat(resources).as("resources of the services").isNotEmpty();

    for (Path file : resources) {
      String path = file.toString();
      Path relative = Path.of(path.substring(path.indexOf("/src/main/resources/") + 20));
      // Static web resources (META-INF/resources, the GUI) go into the image with Quarkus's
      // static-resource support, whatever the includes say.
      if (HANDLED_BY_QUARKUS.contains(relative.toString())
          || relative.startsWith("META-INF/resources")) {
        continue;
      }
      assertThat(includes.stream().anyMatch(m -> m.matches(relative)))
          .as(relative + " (" + root.relativize(file) + ") is in quarkus.native.resources.includes")
          .isTrue();
    }
  }

  private static Map<String, String> nativeProfile() throws Exception {
    var document =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(projectRoot().resolve("pom.xml").toFile());
    NodeList profiles = document.getElementsByTagName("profile");
    for (int i = 0; i < profiles.getLength(); i++) {
      Element profile = (Element) profiles.item(i);
      if (!"native".equals(text(profile, "id"))) {
        continue;
      }
      assertThat(profile.getElementsByTagName("activation").getLength())
          .as("the native profile activates only with -Pnative")
          .isZero();
      Map<String, String> properties = new HashMap<>();
      Node block = profile.getElementsByTagName("properties").item(0);
      NodeList children = block.getChildNodes();
      for (int j = 0; j < children.getLength(); j++) {
        if (children.item(j) instanceof Element property) {
          properties.put(property.getTagName(), property.getTextContent().trim());
        }
      }
      return properties;
    }
    throw new AssertionError("no native profile in the parent pom");
  }

  private static String text(Element parent, String tag) {
    NodeList nodes = parent.getElementsByTagName(tag);
    return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent().trim();
  }

  private static Path projectRoot() throws IOException {
    return Manifests.root().getParent().getParent().toRealPath();
  }
}

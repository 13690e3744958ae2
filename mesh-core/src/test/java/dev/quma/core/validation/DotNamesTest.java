package dev.quma.core.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quma.core.model.ResourceType;
import org.junit.jupiter.api.Test;

/** {@code .} and {@code ..} name nothing, as a resource, a mesh or a reference to one. */
class DotNamesTest {
  @Test
  void dotsAreNoNames() {
    for (String dots : new String[] {".", ".."}) {
      assertThat(MetaValidator.isMeshReference(dots)).as(dots).isFalse();
      assertThat(MetaValidator.isIdentifier(dots)).as(dots).isFalse();
      Violations out = new Violations();
      MetaValidator.validateNames(ResourceType.DATAPLANE, dots, dots, out);
      assertThat(out.asList())
          .containsExactly(
              new Violation("name", "'.' and '..' are not names"),
              new Violation("mesh", "'.' and '..' are not names"));
    }
    assertThat(MetaValidator.isMeshReference("a.b")).isTrue();
    assertThat(MetaValidator.isMeshReference("...")).isTrue();
  }
}

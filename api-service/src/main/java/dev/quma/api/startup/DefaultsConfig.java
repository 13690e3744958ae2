package dev.quma.api.startup;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What the control plane creates on its first start. */
@ConfigMapping(prefix = "quma.defaults")
public interface DefaultsConfig {
  /**
   * Do not create the {@code default} mesh on first start ({@code
   * KUMA_DEFAULTS_SKIP_MESH_CREATION}).
   */
  @WithDefault("false")
  boolean skipMeshCreation();
}

package dev.vitrail.runtime.api;

import com.typesafe.config.ConfigFactory;
import dev.vitrail.config.settings.RuntimeSettings;

/** Settings for tests: HOCON overrides over the reference defaults. */
public final class VitrailTestSettings {
  private VitrailTestSettings() {}

  /** {@code hocon} over {@code reference.conf}. */
  public static RuntimeSettings of(String hocon) {
    return RuntimeSettings.from(
        ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve());
  }
}

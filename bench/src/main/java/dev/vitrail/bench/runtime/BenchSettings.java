package dev.vitrail.bench.runtime;

import com.typesafe.config.ConfigFactory;
import dev.vitrail.config.settings.RuntimeSettings;

/** Settings for benchmarks: HOCON overrides over the reference defaults. */
final class BenchSettings {
  private BenchSettings() {}

  static RuntimeSettings of(String hocon) {
    return RuntimeSettings.from(
        ConfigFactory.parseString(hocon).withFallback(ConfigFactory.defaultReference()).resolve());
  }
}

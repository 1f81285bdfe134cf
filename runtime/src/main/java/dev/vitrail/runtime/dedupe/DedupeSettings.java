package dev.vitrail.runtime.dedupe;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import dev.vitrail.config.settings.InvalidSettingsException;

/**
 * The {@code vitrail.http.dedupe} settings (see the runtime module's {@code reference.conf}); a
 * cache with 0 bytes or 0 entries is off.
 *
 * @param maxBytes bytes of features kept
 * @param maxEntries features kept
 * @param pixelMaxBytes bytes of decoded, preprocessed pixels kept
 * @param pixelMaxEntries decoded images kept
 */
public record DedupeSettings(
    long maxBytes, int maxEntries, long pixelMaxBytes, int pixelMaxEntries) {
  public DedupeSettings {
    if (maxBytes < 0 || maxEntries < 0 || pixelMaxBytes < 0 || pixelMaxEntries < 0) {
      throw new InvalidSettingsException(
          "vitrail.http.dedupe.*",
          "bounds >= 0",
          maxBytes + "/" + maxEntries + "/" + pixelMaxBytes + "/" + pixelMaxEntries);
    }
  }

  /** Both caches off (the default). */
  public static DedupeSettings off() {
    return new DedupeSettings(0, 0, 0, 0);
  }

  /** The settings under {@code vitrail.http.dedupe} of {@code config}. */
  public static DedupeSettings from(Config config) {
    try {
      Config c = config.getConfig("vitrail.http.dedupe");
      return new DedupeSettings(
          c.getBytes("max-bytes"),
          c.getInt("max-entries"),
          c.getBytes("pixel-max-bytes"),
          c.getInt("pixel-max-entries"));
    } catch (ConfigException e) {
      throw new InvalidSettingsException(
          "invalid vitrail.http.dedupe setting: " + e.getMessage(), e);
    }
  }
}

package dev.vitrail.runtime.vlm;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import dev.vitrail.config.settings.InvalidSettingsException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The {@code vitrail.vlm} settings (this module's {@code reference.conf}): where encoder-cache
 * files go, their dtype, how the store is bounded, and the consumer's processor limits.
 *
 * @param ecStorage the shared directory ({@code shared_storage_path} of the vLLM consumer), or null
 *     for inline payloads only
 * @param dtype the consumer language model's dtype
 * @param maxBytes evict the oldest entries beyond this many bytes (0: no size bound)
 * @param maxAge evict entries written longer ago (zero: no age bound)
 * @param minPixels the consumer's {@code min_pixels} (0: from {@code preprocessor_config.json})
 * @param maxPixels the consumer's {@code max_pixels} (0: from {@code preprocessor_config.json})
 * @param maxTokensPerImage refuse images with more placeholder tokens (0: only the pixel bound)
 * @param maxInlineBytes refuse requests whose inline payloads would take more base64 characters (0:
 *     no bound)
 */
public record VlmSettings(
    Path ecStorage,
    EcDtype dtype,
    long maxBytes,
    Duration maxAge,
    long minPixels,
    long maxPixels,
    long maxTokensPerImage,
    long maxInlineBytes) {
  public VlmSettings {
    if (maxInlineBytes < 0) {
      throw new InvalidSettingsException(
          "vitrail.vlm.max-inline-bytes", "a size >= 0", maxInlineBytes);
    }
    if (maxBytes < 0 || minPixels < 0 || maxPixels < 0 || maxTokensPerImage < 0) {
      throw new InvalidSettingsException(
          "vitrail.vlm.*",
          "non-negative max-bytes, min-pixels, max-pixels and max-tokens-per-image",
          maxBytes + "/" + minPixels + "/" + maxPixels + "/" + maxTokensPerImage);
    }
    if (maxAge.isNegative()) {
      throw new InvalidSettingsException("vitrail.vlm.max-age", "a duration >= 0", maxAge);
    }
    if (maxPixels > 0 && minPixels > maxPixels) {
      throw new InvalidSettingsException(
          "vitrail.vlm.min-pixels", "at most max-pixels (" + maxPixels + ")", minPixels);
    }
  }

  /** Settings without a bound on inline payloads. */
  public VlmSettings(
      Path ecStorage,
      EcDtype dtype,
      long maxBytes,
      Duration maxAge,
      long minPixels,
      long maxPixels,
      long maxTokensPerImage) {
    this(ecStorage, dtype, maxBytes, maxAge, minPixels, maxPixels, maxTokensPerImage, 0);
  }

  /** The settings from {@code application.conf}, system properties and environment. */
  public static VlmSettings load() {
    return from(ConfigFactory.load());
  }

  /** The settings under {@code vitrail.vlm} of {@code config}. */
  public static VlmSettings from(Config config) {
    Config c = config.getConfig("vitrail.vlm");
    try {
      String dir = c.getString("ec-storage").strip();
      EcDtype dtype;
      try {
        dtype = EcDtype.of(c.getString("dtype"));
      } catch (IllegalArgumentException e) {
        throw new InvalidSettingsException(
            "vitrail.vlm.dtype", "bf16, f16 or f32", c.getString("dtype"));
      }
      return new VlmSettings(
          dir.isEmpty() ? null : Path.of(dir),
          dtype,
          c.getBytes("max-bytes"),
          c.getDuration("max-age"),
          c.getLong("min-pixels"),
          c.getLong("max-pixels"),
          c.getLong("max-tokens-per-image"),
          c.getBytes("max-inline-bytes"));
    } catch (ConfigException e) {
      throw new InvalidSettingsException("invalid vitrail.vlm setting: " + e.getMessage(), e);
    }
  }

  /** The same settings writing to {@code dir} (null: inline only). */
  public VlmSettings withEcStorage(Path dir) {
    return new VlmSettings(
        dir, dtype, maxBytes, maxAge, minPixels, maxPixels, maxTokensPerImage, maxInlineBytes);
  }

  /** The same settings with another dtype. */
  public VlmSettings withDtype(EcDtype newDtype) {
    return new VlmSettings(
        ecStorage,
        newDtype,
        maxBytes,
        maxAge,
        minPixels,
        maxPixels,
        maxTokensPerImage,
        maxInlineBytes);
  }
}

package dev.vitrail.runtime.http;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import dev.vitrail.config.settings.InvalidSettingsException;

/**
 * The {@code vitrail.http.admission} settings: what the server lets in at once, counted in what
 * costs memory and CPU (see this module's {@code reference.conf}).
 *
 * @param maxBodyBytesInFlight bytes of request bodies being read, parsed and decoded at once
 * @param maxItemsInFlight images admitted at once, from parsing until the answer is sent
 * @param maxImagePixels largest decoded image, width x height
 * @param maxDecodePixelsInFlight decoded pixels held by the decoding threads at once
 * @param decodeQueue requests waiting for a decoding thread
 * @param maxConnections open TCP connections
 */
public record AdmissionLimits(
    long maxBodyBytesInFlight,
    int maxItemsInFlight,
    long maxImagePixels,
    long maxDecodePixelsInFlight,
    int decodeQueue,
    int maxConnections) {
  public AdmissionLimits {
    if (maxBodyBytesInFlight < 1
        || maxItemsInFlight < 1
        || maxImagePixels < 1
        || decodeQueue < 1
        || maxConnections < 1) {
      throw new InvalidSettingsException(
          "vitrail.http.admission.*",
          "positive limits",
          maxBodyBytesInFlight
              + "/"
              + maxItemsInFlight
              + "/"
              + maxImagePixels
              + "/"
              + decodeQueue
              + "/"
              + maxConnections);
    }
    if (maxDecodePixelsInFlight < maxImagePixels) {
      throw new InvalidSettingsException(
          "vitrail.http.admission.max-decode-pixels-in-flight",
          "at least max-image-pixels (" + maxImagePixels + ")",
          maxDecodePixelsInFlight);
    }
    // The semaphores count KiB of body and pixels in int permits.
    if (maxBodyBytesInFlight / 1024 >= Integer.MAX_VALUE
        || maxDecodePixelsInFlight >= Integer.MAX_VALUE) {
      throw new InvalidSettingsException(
          "vitrail.http.admission.*-in-flight",
          "below 2 TiB of body and 2^31 pixels",
          maxBodyBytesInFlight + "/" + maxDecodePixelsInFlight);
    }
  }

  /** The limits of {@code reference.conf} and {@code application.conf}. */
  public static AdmissionLimits defaults() {
    return from(ConfigFactory.load());
  }

  /** The limits under {@code vitrail.http.admission} of {@code config}. */
  public static AdmissionLimits from(Config config) {
    try {
      Config c = config.getConfig("vitrail.http.admission");
      return new AdmissionLimits(
          c.getBytes("max-body-bytes-in-flight"),
          c.getInt("max-items-in-flight"),
          c.getLong("max-image-pixels"),
          c.getLong("max-decode-pixels-in-flight"),
          c.getInt("decode-queue"),
          c.getInt("max-connections"));
    } catch (ConfigException e) {
      throw new InvalidSettingsException(
          "invalid vitrail.http.admission setting: " + e.getMessage(), e);
    }
  }
}

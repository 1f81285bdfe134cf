package dev.vitrail.runtime.http;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import dev.vitrail.config.settings.InvalidSettingsException;
import java.nio.file.Path;

/**
 * The {@code vitrail.http.video} settings of {@code POST /v1/video} (see this module's {@code
 * reference.conf}).
 *
 * @param maxVideoBytes largest uploaded video; the upload goes to a temporary file of at most this
 * @param maxVideosInFlight videos being received, decoded or streamed at once (more: 503 busy)
 * @param inputsPerRequest tower inputs (frames or temporal patches) per encode request
 * @param requestsInFlight encode requests one video keeps in flight
 * @param tempDir where uploads are kept while decoded (deleted afterwards); null: java.io.tmpdir
 */
public record VideoSettings(
    long maxVideoBytes,
    int maxVideosInFlight,
    int inputsPerRequest,
    int requestsInFlight,
    Path tempDir) {
  public VideoSettings {
    if (maxVideoBytes < 1
        || maxVideosInFlight < 1
        || inputsPerRequest < 1
        || requestsInFlight < 1) {
      throw new InvalidSettingsException(
          "vitrail.http.video.*",
          "positive limits",
          maxVideoBytes
              + "/"
              + maxVideosInFlight
              + "/"
              + inputsPerRequest
              + "/"
              + requestsInFlight);
    }
  }

  /** Images of the item budget one video holds while it streams. */
  public int itemsPerVideo() {
    return inputsPerRequest * (requestsInFlight + 1);
  }

  /** The settings from {@code application.conf}, system properties and environment. */
  public static VideoSettings load() {
    return from(ConfigFactory.load());
  }

  /** The settings under {@code vitrail.http.video} of {@code config}. */
  public static VideoSettings from(Config config) {
    try {
      Config c = config.getConfig("vitrail.http.video");
      String dir = c.getString("temp-dir");
      return new VideoSettings(
          c.getBytes("max-video-bytes"),
          c.getInt("max-videos-in-flight"),
          c.getInt("inputs-per-request"),
          c.getInt("requests-in-flight"),
          dir.isBlank() ? null : Path.of(dir));
    } catch (ConfigException e) {
      throw new InvalidSettingsException(
          "invalid vitrail.http.video setting: " + e.getMessage(), e);
    }
  }

  /** The same settings with another byte limit and number of videos at once. */
  public VideoSettings withLimits(long bytes, int videos) {
    return new VideoSettings(bytes, videos, inputsPerRequest, requestsInFlight, tempDir);
  }
}

package dev.vitrail.runtime.api;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Map;

/**
 * Pekko's TCP layer as Vitrail sets it: reads of up to 1 MiB instead of 128 KiB, so that a download
 * of megabytes (image and video URLs, through Pekko HTTP's client) and the cluster's links take a
 * sixth of the read round trips (each read is a message to the connection's stream, a copy into the
 * heap and a new wait on the selector). The HTTP server does not use it: it reads with its own
 * socket layer ({@code runtime.http.wire}). The buffers come from Pekko's pool, one per read in
 * progress, of which at most 16 are kept: at most 16 MiB of native memory. Java system properties
 * ({@code -Dpekko.io.tcp.direct-buffer-size=...}) still win.
 */
final class TcpReadSettings {
  static final String BUFFER_SIZE = "pekko.io.tcp.direct-buffer-size";
  static final String POOL_LIMIT = "pekko.io.tcp.direct-buffer-pool-limit";

  private TcpReadSettings() {}

  /** {@code config} with Vitrail's TCP read settings under any system property. */
  static Config over(Config config) {
    Config ours = ConfigFactory.parseMap(Map.of(BUFFER_SIZE, "1 MiB", POOL_LIMIT, 16));
    return ConfigFactory.systemProperties().withFallback(ours).withFallback(config);
  }
}

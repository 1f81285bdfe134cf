package dev.vitrail.actors.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends worker commands and replies over Artery's large-message stream. Pixels and features travel
 * whole inside them (a 336x336 RGB image is 1.3 MiB), beyond Artery's ordinary 256 KiB frame; the
 * only user-level actors other nodes talk to are encoder workers (on worker nodes) and the
 * supervisor's reply relays, so every {@code /user} actor one or two levels down takes that stream.
 */
public final class LargeMessages {
  /** Largest serialized worker message accepted, unless the configuration already allows more. */
  public static final long MAX_FRAME_BYTES = 64L << 20;

  private static final String DESTINATIONS = "pekko.remote.artery.large-message-destinations";
  private static final String FRAME = "pekko.remote.artery.advanced.maximum-large-frame-size";

  private LargeMessages() {}

  /**
   * {@code config} with the large-message stream for {@code /user/*} and {@code /user/*}{@code /*}
   * when it names no large-message destinations itself, and a large frame of at least {@link
   * #MAX_FRAME_BYTES}. Every node of the cluster needs the same setting.
   */
  public static Config enable(Config config) {
    Config resolved = config.resolve();
    boolean own = resolved.hasPath(DESTINATIONS) && !resolved.getStringList(DESTINATIONS).isEmpty();
    long frame = resolved.hasPath(FRAME) ? resolved.getBytes(FRAME) : 0;
    Map<String, Object> overrides = new HashMap<>();
    if (!own) {
      overrides.put(DESTINATIONS, List.of("/user/*", "/user/*/*"));
    }
    overrides.put(FRAME, Math.max(frame, MAX_FRAME_BYTES));
    return ConfigFactory.parseMap(overrides).withFallback(resolved);
  }
}

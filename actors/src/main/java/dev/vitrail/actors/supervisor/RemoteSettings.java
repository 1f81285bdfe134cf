package dev.vitrail.actors.supervisor;

import java.time.Duration;

/**
 * How a supervisor uses the encoder workers of other cluster nodes.
 *
 * @param speed relative speed of each remote worker (cost and pull policies)
 * @param fingerprint the model fingerprint a remote worker must be registered under
 * @param maxItems most items sent to one remote worker and not yet answered
 * @param maxBytes most pixel bytes (wire estimate) sent to one remote worker and not yet answered;
 *     a worker with nothing outstanding always takes one item
 * @param maxMessageBytes largest delivery to a remote worker; bigger ones are split, and an item
 *     bigger than this runs only on local workers
 * @param hedgeAfter least time a remote worker holding items must have been silent before its
 *     overdue items get a second copy elsewhere (see {@code Hedger}); zero turns hedging off
 */
public record RemoteSettings(
    double speed,
    String fingerprint,
    int maxItems,
    long maxBytes,
    long maxMessageBytes,
    Duration hedgeAfter) {
  /** The default hedging bound (500 ms). */
  public static final Duration HEDGE_AFTER = Duration.ofMillis(500);

  /** Settings with the default hedging bound. */
  public RemoteSettings(
      double speed, String fingerprint, int maxItems, long maxBytes, long maxMessageBytes) {
    this(speed, fingerprint, maxItems, maxBytes, maxMessageBytes, HEDGE_AFTER);
  }

  public RemoteSettings {
    if (!(speed > 0)
        || maxItems < 1
        || maxBytes < 1
        || maxMessageBytes < 1
        || hedgeAfter.isNegative()) {
      throw new IllegalArgumentException(
          "remote worker settings out of range: speed="
              + speed
              + " max-items="
              + maxItems
              + " max-bytes="
              + maxBytes
              + " max-message-bytes="
              + maxMessageBytes
              + " hedge-after="
              + hedgeAfter);
    }
  }

  /** Unidentified model, 64 items / 64 MiB per worker, 16 MiB messages. */
  public static RemoteSettings of(double speed) {
    return new RemoteSettings(speed, "", 64, 64L << 20, 16L << 20);
  }
}

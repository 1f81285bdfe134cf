package dev.vitrail.actors.worker;

import dev.vitrail.encoders.api.FeatureEncoder;

/** Opens the tower a worker owns; called on the worker's own tower thread. */
@FunctionalInterface
public interface EncoderFactory {
  /** Opens a tower for worker {@code worker} (0-based). */
  FeatureEncoder open(int worker);
}

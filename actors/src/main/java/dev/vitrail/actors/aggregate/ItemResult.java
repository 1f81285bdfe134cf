package dev.vitrail.actors.aggregate;

import dev.vitrail.encoders.api.FeatureOutput;

/** What one item of a request ended with: its features, or why it has none. */
public sealed interface ItemResult {
  /** The item's features. */
  record Encoded(FeatureOutput output) implements ItemResult {}

  /** The item failed on every attempt (a "poison" input) or could not be run at all. */
  record Failed(String error) implements ItemResult {}
}

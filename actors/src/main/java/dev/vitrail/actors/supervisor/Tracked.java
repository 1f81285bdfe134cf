package dev.vitrail.actors.supervisor;

import dev.vitrail.actors.aggregate.Aggregator;
import dev.vitrail.actors.cache.CacheKey;
import dev.vitrail.actors.cluster.WireModule;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import org.apache.pekko.actor.typed.ActorRef;

/** One admitted item while it is in the supervisor's care. Mutable, owned by the supervisor. */
final class Tracked {
  final long key;
  final PixelInput input;
  final FeatureSpec spec;
  final ActorRef<Aggregator.Command> aggregator;
  final int index;
  final double cost;
  final CacheKey cacheKey;
  final long wireBytes;
  int attempts;
  long sentAt;
  boolean cancelled;

  /** The worker holding this item, -1 while it waits on the supervisor. */
  int worker = -1;

  /** A second worker holding a copy (a hedge against a silent first one), or -1. */
  int hedge = -1;

  long hedgeSentAt;
  boolean solo;

  /**
   * Placed again after a worker held it (lost, returned or failed): it has waited already, so the
   * next worker runs it ahead of its other queued items.
   */
  boolean again;

  Tracked(
      long key,
      PixelInput input,
      FeatureSpec spec,
      ActorRef<Aggregator.Command> aggregator,
      int index,
      double cost,
      CacheKey cacheKey) {
    this.key = key;
    this.input = input;
    this.spec = spec;
    this.aggregator = aggregator;
    this.index = index;
    this.cost = cost;
    this.cacheKey = cacheKey;
    this.wireBytes = WireModule.wireBytes(input);
  }
}

package dev.vitrail.encoders.split;

import org.bytedeco.pytorch.Tensor;

/**
 * One slot per shard for the partial sums the shards of {@link SplitLayers} publish at a meeting:
 * written by its shard before the meeting, read by every shard after it, and released by its shard
 * only after the next meeting, when no other thread can still be reading it.
 */
final class PartialSums {
  private final Tensor[] slots;

  PartialSums(int shards) {
    this.slots = new Tensor[shards];
  }

  /** Shard {@code s} publishes {@code part}, which the slot owns until {@link #release}. */
  void publish(int s, Tensor part) {
    slots[s] = part;
  }

  /**
   * {@code base} plus every shard's partial, added in shard order so that every shard computes the
   * same sum; a new tensor in the caller's scope.
   */
  Tensor addTo(Tensor base) {
    Tensor t = base.add(slots[0]);
    for (int i = 1; i < slots.length; i++) {
      t.add_(slots[i]);
    }
    return t;
  }

  /** Releases shard {@code s}'s partial, if it holds one. */
  void release(int s) {
    if (slots[s] != null) {
      slots[s].close();
      slots[s] = null;
    }
  }

  /** Releases every partial still held (left behind by a failed shard). */
  void releaseAll() {
    for (int s = 0; s < slots.length; s++) {
      release(s);
    }
  }
}

package dev.vitrail.encoders.split;

/**
 * The failures of a {@link ShardCrew} task: what a shard waiting at the barrier throws when another
 * shard failed ({@link Broken}), and which of the shards' failures {@link ShardCrew#run} rethrows.
 */
final class ShardFailures {
  private ShardFailures() {}

  /** What a shard waiting at the barrier throws when another shard failed. */
  static final class Broken extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    Broken() {
      super("another shard of the tower failed");
    }
  }

  /**
   * Rethrows the first failure among {@code failures} (one slot per shard, null where it
   * succeeded), preferring a cause to another shard's {@link Broken} echo of it; returns when there
   * is none.
   */
  static void rethrowFirst(Throwable[] failures) {
    Throwable first = null;
    for (Throwable f : failures) {
      if (f != null && (first == null || first instanceof Broken)) {
        first = f; // the cause rather than another shard's "broken" echo of it
      }
    }
    if (first instanceof RuntimeException r) {
      throw r;
    }
    if (first instanceof Error e) {
      throw e;
    }
    if (first != null) {
      throw new IllegalStateException(first);
    }
  }
}

package dev.vitrail.actors.supervisor;

import java.util.HashMap;
import java.util.Map;

/**
 * The copies of the items in the supervisor's care: each item is held by at most two workers (its
 * worker, and a hedge, see {@link Hedger}). When one copy settles the item (answered, or dropped),
 * the other becomes an orphan that keeps its worker's credit until that worker answers it or is
 * lost. Owned by the {@link ItemLedger} (single-threaded); bounded by the items sent.
 */
final class ItemCopies {
  private final Placement placement;

  /** Orphaned copies by key; each one's {@code worker} names the worker holding it. */
  private final Map<Long, Tracked> orphans = new HashMap<>();

  ItemCopies(Placement placement) {
    this.placement = placement;
  }

  /** True if {@code worker} holds a copy of the live item {@code t}. */
  static boolean holds(Tracked t, int worker) {
    return t != null && (t.worker == worker || t.hedge == worker);
  }

  /** An answer for {@code key} that matches no live copy: frees it if it was an orphan. */
  void strayAnswer(long key, int worker) {
    Tracked o = orphans.get(key);
    if (o != null && o.worker == worker) {
      orphans.remove(key);
      placement.free(o, worker);
    }
  }

  /** Worker {@code worker} is gone: the orphans it held free their credit. */
  void forget(int worker) {
    orphans
        .values()
        .removeIf(
            o -> {
              boolean there = o.worker == worker;
              if (there) {
                placement.free(o, worker);
              }
              return there;
            });
  }

  /**
   * Worker {@code w}'s copy of {@code t} is gone: frees its credit; true if no copy is left (the
   * other copy, if any, becomes the only one).
   */
  boolean drop(Tracked t, int w) {
    placement.free(t, w);
    if (t.worker == w) {
      t.worker = t.hedge;
      t.sentAt = t.hedgeSentAt;
    }
    t.hedge = -1;
    return t.worker < 0;
  }

  /** {@code t} is settled by worker {@code w}'s copy: that copy is freed, the other orphaned. */
  void settle(Tracked t, int w) {
    if (!drop(t, w)) {
      orphans.put(t.key, t);
    }
  }
}

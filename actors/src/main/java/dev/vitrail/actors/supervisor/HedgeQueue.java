package dev.vitrail.actors.supervisor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The items that want a second copy because the worker holding them went silent (see {@link
 * Hedger}), oldest first. {@link Placement} places them before any waiting item, as soon as a
 * worker has credit: a stream of new requests must not take the credit a silent worker's items are
 * waiting for. An item leaves the queue once copied, or once it no longer needs a copy (answered,
 * cancelled, re-placed, or its worker answered again). Bounded by the items silent workers hold.
 * Pure bookkeeping, owned by {@link Placement}.
 */
final class HedgeQueue {
  private final LinkedHashSet<Tracked> wanted = new LinkedHashSet<>();

  /** Adds {@code items} (each held by a suspected worker), oldest send first. */
  void want(List<Tracked> items) {
    List<Tracked> sorted = new ArrayList<>(items);
    sorted.sort(Comparator.comparingLong((Tracked t) -> t.sentAt).thenComparingLong(t -> t.key));
    wanted.addAll(sorted);
  }

  /**
   * True if {@code t} still needs a copy: held by a suspected worker, not copied, not cancelled.
   */
  static boolean needs(Tracked t, WorkerLoads loads) {
    return t.worker >= 0 && t.hedge < 0 && !t.cancelled && loads.suspected(t.worker);
  }

  /** The items that still want a copy, oldest first (those that no longer do are dropped). */
  List<Tracked> due(WorkerLoads loads) {
    List<Tracked> due = new ArrayList<>();
    for (Iterator<Tracked> it = wanted.iterator(); it.hasNext(); ) {
      Tracked t = it.next();
      if (needs(t, loads)) {
        due.add(t);
      } else {
        it.remove();
      }
    }
    return due;
  }

  /** {@code t} got its copy. */
  void copied(Tracked t) {
    wanted.remove(t);
  }

  int size() {
    return wanted.size();
  }
}

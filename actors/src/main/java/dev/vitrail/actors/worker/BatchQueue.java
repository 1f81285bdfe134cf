package dev.vitrail.actors.worker;

import dev.vitrail.encoders.api.PixelInput;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A worker's queued items and how they form tower calls: the oldest item plus later items with the
 * same feature spec and a compatible shape (one shape for stacked fixed-size images, one row width
 * for concatenated patch rows), up to the batch limit and, with a patch budget, as many patches as
 * fit in it (token-budget batching: later items that fit fill the batch, items that do not wait for
 * the next one). The oldest item always runs, alone if it exceeds the budget, so nothing starves.
 * Solo items (retries) run alone. Items marked {@code first} (they already waited elsewhere: a
 * hedged copy, or an item of a worker that was lost) are queued ahead of all others.
 */
final class BatchQueue {
  private final ArrayDeque<EncoderWorker.Encode> first = new ArrayDeque<>();
  private final ArrayDeque<EncoderWorker.Encode> rest = new ArrayDeque<>();
  private final List<ArrayDeque<EncoderWorker.Encode>> queues = List.of(first, rest);
  private final int limit;
  private final long patchBudget;
  private long queuedPatches;

  /**
   * @param limit most items per batch
   * @param patchBudget most patches per batch, 0 for no budget
   */
  BatchQueue(int limit, long patchBudget) {
    this.limit = limit;
    this.patchBudget = patchBudget;
  }

  BatchQueue(int limit) {
    this(limit, 0);
  }

  void addAll(List<EncoderWorker.Encode> items) {
    for (EncoderWorker.Encode e : items) {
      (e.first() ? first : rest).add(e);
      queuedPatches += e.input().patchRows();
    }
  }

  /** Items queued (not yet handed to the tower). */
  int size() {
    return first.size() + rest.size();
  }

  boolean isEmpty() {
    return first.isEmpty() && rest.isEmpty();
  }

  /** True when at least a full batch is queued: the item limit, or the patch budget, is reached. */
  boolean full() {
    return size() >= limit || (patchBudget > 0 && queuedPatches >= patchBudget);
  }

  /** Removes and returns the next batch; the queue must not be empty. */
  List<EncoderWorker.Encode> take() {
    EncoderWorker.Encode head = first.isEmpty() ? rest.poll() : first.poll();
    List<EncoderWorker.Encode> batch = new ArrayList<>();
    batch.add(head);
    long patches = head.input().patchRows();
    for (ArrayDeque<EncoderWorker.Encode> q :
        head.solo() ? List.<ArrayDeque<EncoderWorker.Encode>>of() : queues) {
      for (Iterator<EncoderWorker.Encode> it = q.iterator();
          it.hasNext() && batch.size() < limit && !budgetFull(patches); ) {
        EncoderWorker.Encode e = it.next();
        long p = e.input().patchRows();
        if (!e.solo()
            && e.spec().equals(head.spec())
            && sameBatchShape(head.input(), e.input())
            && (patchBudget == 0 || patches + p <= patchBudget)) {
          batch.add(e);
          patches += p;
          it.remove();
        }
      }
    }
    queuedPatches -= patches;
    return batch;
  }

  private boolean budgetFull(long patches) {
    return patchBudget > 0 && patches >= patchBudget;
  }

  /** Removes and returns everything queued. */
  List<EncoderWorker.Encode> drain() {
    List<EncoderWorker.Encode> all = new ArrayList<>(first);
    all.addAll(rest);
    first.clear();
    rest.clear();
    queuedPatches = 0;
    return all;
  }

  /** Removes and returns the queued items whose key is in {@code keys}. */
  List<EncoderWorker.Encode> remove(Set<Long> keys) {
    List<EncoderWorker.Encode> out = new ArrayList<>();
    for (ArrayDeque<EncoderWorker.Encode> q : queues) {
      for (Iterator<EncoderWorker.Encode> it = q.iterator(); it.hasNext(); ) {
        EncoderWorker.Encode e = it.next();
        if (keys.contains(e.key())) {
          it.remove();
          queuedPatches -= e.input().patchRows();
          out.add(e);
        }
      }
    }
    return out;
  }

  private static boolean sameBatchShape(PixelInput a, PixelInput b) {
    boolean patchRows = a.gridThw() != null;
    if (patchRows != (b.gridThw() != null)) {
      return false;
    }
    return patchRows ? a.shape()[1] == b.shape()[1] : Arrays.equals(a.shape(), b.shape());
  }
}

package dev.vitrail.actors.worker;

import dev.vitrail.encoders.api.PixelInput;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * A worker's queued items and how they form tower calls: the oldest item plus later items with the
 * same feature spec and a compatible shape (one shape for stacked fixed-size images, one row width
 * for concatenated patch rows), up to the batch limit. Solo items (retries) run alone.
 */
final class BatchQueue {
  private final ArrayDeque<EncoderWorker.Encode> queue = new ArrayDeque<>();
  private final int limit;

  BatchQueue(int limit) {
    this.limit = limit;
  }

  void addAll(List<EncoderWorker.Encode> items) {
    queue.addAll(items);
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }

  /** True when at least a full batch is queued. */
  boolean full() {
    return queue.size() >= limit;
  }

  /** Removes and returns the next batch; the queue must not be empty. */
  List<EncoderWorker.Encode> take() {
    EncoderWorker.Encode head = queue.poll();
    List<EncoderWorker.Encode> batch = new ArrayList<>();
    batch.add(head);
    if (head.solo()) {
      return batch;
    }
    for (Iterator<EncoderWorker.Encode> it = queue.iterator();
        it.hasNext() && batch.size() < limit; ) {
      EncoderWorker.Encode e = it.next();
      if (!e.solo() && e.spec().equals(head.spec()) && sameBatchShape(head.input(), e.input())) {
        batch.add(e);
        it.remove();
      }
    }
    return batch;
  }

  /** Removes and returns everything queued. */
  List<EncoderWorker.Encode> drain() {
    List<EncoderWorker.Encode> all = new ArrayList<>(queue);
    queue.clear();
    return all;
  }

  private static boolean sameBatchShape(PixelInput a, PixelInput b) {
    boolean patchRows = a.gridThw() != null;
    if (patchRows != (b.gridThw() != null)) {
      return false;
    }
    return patchRows ? a.shape()[1] == b.shape()[1] : Arrays.equals(a.shape(), b.shape());
  }
}

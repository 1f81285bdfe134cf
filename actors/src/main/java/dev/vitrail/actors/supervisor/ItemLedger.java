package dev.vitrail.actors.supervisor;

import dev.vitrail.actors.aggregate.Aggregator;
import dev.vitrail.actors.aggregate.ItemResult;
import dev.vitrail.actors.cache.EncoderCache;
import dev.vitrail.actors.worker.EncoderWorker;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The supervisor's record of every admitted item until it is answered: which worker holds it (and
 * which holds a hedged copy, see {@link Hedger}), how often it failed, and what happens on each
 * worker answer. Owned by the supervisor (single-threaded). An item is answered once, by the first
 * copy that answers; answers that match no copy are dropped. The copy that lost the race keeps its
 * worker's credit until that worker answers it or is lost ({@link ItemCopies}).
 */
final class ItemLedger {
  private static final Logger LOG = LoggerFactory.getLogger(ItemLedger.class);
  private final SupervisorSettings settings;
  private final Placement placement;
  private final EncoderCache cache;
  private final ActorRef<EncoderWorker.Reply> workerReplies;
  private final WorkerHealth health;
  private final Map<Long, Tracked> items = new HashMap<>();

  private final ItemCopies copies;
  long retries;
  long redispatched;
  long failedItems;
  long cancelled;

  ItemLedger(
      SupervisorSettings settings,
      Placement placement,
      EncoderCache cache,
      ActorRef<EncoderWorker.Reply> workerReplies,
      WorkerHealth health) {
    this.settings = settings;
    this.placement = placement;
    this.cache = cache;
    this.workerReplies = workerReplies;
    this.health = health;
    this.copies = new ItemCopies(placement);
  }

  /** Items admitted and not yet answered. */
  int size() {
    return items.size();
  }

  /** The items in the supervisor's care (read-only use). */
  Collection<Tracked> items() {
    return items.values();
  }

  /** Records the fresh items of one request and places them. */
  void admit(List<Tracked> fresh) {
    fresh.forEach(t -> items.put(t.key, t));
    placement.placeBatch(fresh, workerReplies);
  }

  /** Applies one worker answer. */
  void onReply(EncoderWorker.Reply reply) {
    int w = reply.worker();
    long now = System.nanoTime();
    health.heard(w, now, placement.loads().busySince(w));
    if (placement.loads().suspected(w)) {
      LOG.info("remote worker {} answered again: used again", w);
      placement.loads().suspect(w, false);
    }
    if (reply instanceof EncoderWorker.ItemEncoded e) {
      Tracked t = owned(e.key(), w);
      if (t != null && t.cancelled) {
        settle(t, w);
      } else if (t != null) {
        health.encoded(w, w == t.worker ? t.sentAt : t.hedgeSentAt, now);
        settle(t, w);
        t.aggregator.tell(new Aggregator.Collect(t.index, new ItemResult.Encoded(e.output())));
        if (t.cacheKey != null) {
          cache.put(t.cacheKey, e.output());
        }
      }
    } else if (reply instanceof EncoderWorker.ItemsFailed f) {
      f.keys().forEach(k -> failed(owned(k, w), w, f.cause()));
    } else if (reply instanceof EncoderWorker.ItemsReturned r) {
      for (long k : r.keys()) {
        Tracked t = owned(k, w);
        if (t != null && t.cancelled) {
          settle(t, w);
        } else if (t != null && copies.drop(t, w)) {
          placement.placeRetry(t, -1, workerReplies); // else its other copy carries on
        }
      }
    } else if (reply instanceof EncoderWorker.Leaving) {
      placement.retire(w); // no new items; what it holds is still answered
    }
    placement.pull(workerReplies);
  }

  /** Places waiting items where there is room now (e.g. a worker joined). */
  void pull() {
    placement.pull(workerReplies);
  }

  /** A local worker stopped for good: each copy it held counts one failed attempt. */
  void onWorkerStopped(int worker) {
    copies.forget(worker);
    for (Tracked t : new ArrayList<>(items.values())) {
      if (t.worker == worker || t.hedge == worker) {
        failed(t, worker, "worker " + worker + " stopped");
      }
    }
    placement.pull(workerReplies);
  }

  /**
   * A worker's node left the cluster: each item whose only copy it held goes elsewhere without
   * counting an attempt (the item did not fail; its worker vanished). Late answers are dropped.
   */
  void onWorkerLost(int worker) {
    copies.forget(worker);
    for (Tracked t : new ArrayList<>(items.values())) {
      if (t.worker != worker && t.hedge != worker) {
        continue;
      }
      if (t.cancelled) {
        settle(t, worker);
      } else if (copies.drop(t, worker)) {
        redispatched++;
        placement.placeRetry(t, worker, workerReplies);
      }
    }
    placement.pull(workerReplies);
  }

  /**
   * A request was given up (its aggregator stopped, its client left or it timed out): its waiting
   * items are dropped now; its workers are told to drop those still queued (they answer them as
   * returned), and those already running are dropped when answered (their credit stays until then).
   */
  void cancel(ActorRef<Aggregator.Command> aggregator) {
    Map<Integer, List<Long>> queued = new HashMap<>();
    for (Tracked t : new ArrayList<>(items.values())) {
      if (!t.aggregator.equals(aggregator) || t.cancelled) {
        continue;
      }
      t.cancelled = true;
      cancelled++;
      if (placement.dropWaiting(t)) {
        items.remove(t.key);
      }
      for (int w : new int[] {t.worker, t.hedge}) {
        if (w >= 0) {
          queued.computeIfAbsent(w, x -> new ArrayList<>()).add(t.key);
        }
      }
    }
    queued.forEach(placement::cancelAt);
    placement.pull(workerReplies);
  }

  /** The tracked item if {@code worker} holds a copy of it; otherwise frees an orphan, null. */
  private Tracked owned(long key, int worker) {
    Tracked t = items.get(key);
    if (ItemCopies.holds(t, worker)) {
      return t;
    }
    copies.strayAnswer(key, worker);
    return null;
  }

  /** {@code t} is done (answered by worker {@code w}'s copy, or dropped). */
  private void settle(Tracked t, int w) {
    items.remove(t.key);
    copies.settle(t, w);
  }

  private void failed(Tracked t, int w, String cause) {
    if (t == null) {
      return;
    }
    if (t.cancelled) {
      settle(t, w);
      return;
    }
    if (!copies.drop(t, w)) {
      return; // its other copy may still succeed
    }
    t.attempts++;
    if (t.attempts >= settings.maxAttempts()) {
      failedItems++;
      items.remove(t.key);
      String why = "item " + t.index + " failed on all " + t.attempts + " attempts; last error: ";
      t.aggregator.tell(new Aggregator.Collect(t.index, new ItemResult.Failed(why + cause)));
      return;
    }
    retries++;
    t.solo = true;
    placement.placeRetry(t, w, workerReplies);
  }
}

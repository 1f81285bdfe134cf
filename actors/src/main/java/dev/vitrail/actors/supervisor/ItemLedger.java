package dev.vitrail.actors.supervisor;

import dev.vitrail.actors.aggregate.Aggregator;
import dev.vitrail.actors.aggregate.ItemResult;
import dev.vitrail.actors.cache.EncoderCache;
import dev.vitrail.actors.worker.EncoderWorker;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The supervisor's record of every admitted item until it is answered: which worker holds it, how
 * often it failed, and what happens on each worker answer. Owned by the supervisor
 * (single-threaded); answers that do not match the current owner are dropped, so no item is
 * answered twice.
 */
final class ItemLedger {
  private final SupervisorSettings settings;
  private final Placement placement;
  private final EncoderCache cache;
  private final ActorRef<EncoderWorker.Reply> workerReplies;
  private final Map<Long, Tracked> items = new HashMap<>();
  private long[] completed;
  private long retries;
  private long redispatched;
  private long failedItems;
  private long cancelled;
  private double[] latencyMillis = new double[0];

  ItemLedger(
      SupervisorSettings settings,
      Placement placement,
      EncoderCache cache,
      ActorRef<EncoderWorker.Reply> workerReplies) {
    this.settings = settings;
    this.placement = placement;
    this.cache = cache;
    this.workerReplies = workerReplies;
    this.completed = new long[settings.workers()];
  }

  /** Items admitted and not yet answered. */
  int size() {
    return items.size();
  }

  /** Records the fresh items of one request and places them. */
  void admit(List<Tracked> fresh) {
    fresh.forEach(t -> items.put(t.key, t));
    placement.placeBatch(fresh, workerReplies);
  }

  /** Applies one worker answer. */
  void onReply(EncoderWorker.Reply reply) {
    if (reply instanceof EncoderWorker.ItemEncoded e) {
      Tracked t = owned(e.key(), e.worker());
      if (t != null && t.cancelled) {
        drop(t);
      } else if (t != null) {
        noteLatency(e.worker(), t);
        finish(t, new ItemResult.Encoded(e.output()));
        if (e.worker() >= completed.length) {
          completed = Arrays.copyOf(completed, e.worker() + 1);
        }
        completed[e.worker()]++;
        if (t.cacheKey != null) {
          cache.put(t.cacheKey, e.output());
        }
      }
    } else if (reply instanceof EncoderWorker.ItemsFailed f) {
      f.keys().forEach(k -> retry(owned(k, f.worker()), f.cause()));
    } else if (reply instanceof EncoderWorker.ItemsReturned r) {
      for (long k : r.keys()) {
        Tracked t = owned(k, r.worker());
        if (t != null && t.cancelled) {
          drop(t);
        } else if (t != null) {
          placement.release(t);
          placement.placeRetry(t, -1, workerReplies);
        }
      }
    }
    placement.pull(workerReplies);
  }

  /** Places waiting items where there is room now (e.g. a worker joined). */
  void pull() {
    placement.pull(workerReplies);
  }

  /** A worker stopped for good: everything it held counts one failed attempt and goes elsewhere. */
  void onWorkerStopped(int worker) {
    for (Tracked t : new ArrayList<>(items.values())) {
      if (t.worker == worker) {
        retry(t, "worker " + worker + " stopped");
      }
    }
    placement.pull(workerReplies);
  }

  /**
   * A worker's node left the cluster: everything it held goes elsewhere without counting an attempt
   * (the items did not fail; their worker vanished). Late answers from it are dropped.
   */
  void onWorkerLost(int worker) {
    for (Tracked t : new ArrayList<>(items.values())) {
      if (t.worker == worker && t.cancelled) {
        drop(t);
      } else if (t.worker == worker) {
        redispatched++;
        placement.release(t);
        placement.placeRetry(t, worker, workerReplies);
      }
    }
    placement.pull(workerReplies);
  }

  /** The tracked item if {@code worker} still owns it; late or duplicate answers give null. */
  private Tracked owned(long key, int worker) {
    Tracked t = items.get(key);
    return t != null && t.worker == worker ? t : null;
  }

  /**
   * A request was given up (its aggregator stopped before every item was in): its waiting items are
   * dropped now, and those at a worker when that worker answers (their credit stays until then).
   */
  void cancel(ActorRef<Aggregator.Command> aggregator) {
    for (Tracked t : new ArrayList<>(items.values())) {
      if (t.aggregator.equals(aggregator) && !t.cancelled) {
        t.cancelled = true;
        cancelled++;
        if (placement.dropWaiting(t)) {
          items.remove(t.key);
        }
      }
    }
    placement.pull(workerReplies);
  }

  private void drop(Tracked t) {
    items.remove(t.key);
    placement.release(t);
  }

  private void noteLatency(int w, Tracked t) {
    if (w >= latencyMillis.length) {
      latencyMillis = Arrays.copyOf(latencyMillis, w + 1);
    }
    double ms = (System.nanoTime() - t.sentAt) / 1e6;
    latencyMillis[w] = latencyMillis[w] == 0 ? ms : 0.9 * latencyMillis[w] + 0.1 * ms;
  }

  private void retry(Tracked t, String cause) {
    if (t == null) {
      return;
    }
    if (t.cancelled) {
      drop(t);
      return;
    }
    int from = t.worker;
    placement.release(t);
    t.attempts++;
    if (t.attempts >= settings.maxAttempts()) {
      failedItems++;
      finish(
          t,
          new ItemResult.Failed(
              "item "
                  + t.index
                  + " failed on all "
                  + t.attempts
                  + " attempts; last error: "
                  + cause));
      return;
    }
    retries++;
    t.solo = true;
    placement.placeRetry(t, from, workerReplies);
  }

  private void finish(Tracked t, ItemResult result) {
    items.remove(t.key);
    placement.release(t);
    t.aggregator.tell(new Aggregator.Collect(t.index, result));
  }

  /** Counters for {@link SupervisorStats}; {@code labels} names every worker by index. */
  SupervisorStats stats(long rejected, List<String> labels) {
    WorkerLoads loads = placement.loads();
    List<WorkerStat> workers = new ArrayList<>();
    for (int w = 0; w < loads.size(); w++) {
      workers.add(
          new WorkerStat(
              labels.get(w),
              loads.live(w),
              loads.items(w),
              w < latencyMillis.length ? latencyMillis[w] : 0,
              w < completed.length ? completed[w] : 0));
    }
    return new SupervisorStats(
        items.size(),
        completed.clone(),
        retries,
        redispatched,
        failedItems,
        rejected,
        cache.stats(),
        cancelled,
        workers);
  }
}

package dev.vitrail.actors.supervisor;

import dev.vitrail.actors.worker.EncoderWorker;
import java.time.Duration;
import java.util.Collection;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Hedging against a remote worker that went silent (its process killed or paused, its node not yet
 * declared unreachable): a remote worker holding items that has answered nothing for longer than
 * its bound, {@code max(hedge-after, 3 x its observed latency)}, takes no new items, and each of
 * its items outstanding longer than that bound gets a second copy on another worker with credit.
 * The first answer wins; the ledger drops the other and keeps its credit until it answers or its
 * worker is lost. Owned by the supervisor (single-threaded).
 */
final class Hedger {
  private final long afterNanos;
  private final Placement placement;
  private final WorkerHealth health;
  private long hedged;

  /** {@code after} zero turns hedging off. */
  Hedger(Duration after, Placement placement, WorkerHealth health) {
    this.afterNanos = after.toNanos();
    this.placement = placement;
    this.health = health;
  }

  /** Copies sent so far. */
  long hedged() {
    return hedged;
  }

  /** One check at {@code now} (nanoTime) over the items in the supervisor's care. */
  void check(long now, Collection<Tracked> items, ActorRef<EncoderWorker.Reply> replyTo) {
    if (afterNanos <= 0) {
      return;
    }
    WorkerLoads loads = placement.loads();
    long[] bound = new long[loads.size()];
    boolean any = false;
    for (int w = 0; w < loads.size(); w++) {
      if (!loads.remote(w) || loads.items(w) == 0) {
        loads.suspect(w, false);
        continue;
      }
      bound[w] = Math.max(afterNanos, (long) (3e6 * health.latencyMillis(w)));
      long since = Math.max(health.lastHeard(w), loads.busySince(w));
      boolean silent = now - since > bound[w];
      loads.suspect(w, silent);
      any |= silent;
    }
    if (!any) {
      return;
    }
    int sent = 0;
    for (Tracked t : items) {
      if (t.worker >= 0
          && t.hedge < 0
          && !t.cancelled
          && loads.suspected(t.worker)
          && now - t.sentAt > bound[t.worker]
          && placement.hedge(t, replyTo)) {
        sent++;
      }
    }
    if (sent > 0) {
      hedged += sent;
      placement.pull(replyTo);
    }
  }
}

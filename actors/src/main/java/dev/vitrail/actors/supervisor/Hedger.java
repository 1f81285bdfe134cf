package dev.vitrail.actors.supervisor;

import dev.vitrail.actors.worker.EncoderWorker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hedging against a remote worker that went silent (its process killed or paused, its node not yet
 * declared unreachable): a remote worker holding items that has answered nothing for longer than
 * its bound, twice its longest recent answer gap (about one tower call, see {@link
 * WorkerHealth#gapMillis}) but at least hedge-after and at most four times it, is suspected: it
 * takes no new items, and every item it holds wants a second copy on another worker, placed ahead
 * of waiting items as credit allows (see {@link HedgeQueue}). The first answer wins; the ledger
 * drops the other and keeps its credit until it answers or its worker is lost. Local workers are
 * never hedged (a hung local call is handled by the call timeout and the worker's restart). Owned
 * by the supervisor (single-threaded).
 *
 * <p>The bound is not the send-to-answer latency: that grows with the worker's queue (a worker
 * holding 32 items of 20 ms answers each after about 0.6 s), so a latency rule waits about as long
 * as the failure detector, and the items sent just before the silence would wait longer still.
 */
final class Hedger {
  private static final Logger LOG = LoggerFactory.getLogger(Hedger.class);
  private final long afterNanos;
  private final Placement placement;
  private final WorkerHealth health;

  /** {@code after} zero turns hedging off. */
  Hedger(Duration after, Placement placement, WorkerHealth health) {
    this.afterNanos = after.toNanos();
    this.placement = placement;
    this.health = health;
  }

  /** Copies sent so far. */
  long hedged() {
    return placement.hedged();
  }

  /**
   * How long remote worker {@code w} may stay silent while it holds items: twice its longest recent
   * answer gap, at least hedge-after and at most four times it (past that the failure detector
   * would be first).
   */
  long boundNanos(int w) {
    return Math.min(4 * afterNanos, Math.max(afterNanos, (long) (2e6 * health.gapMillis(w))));
  }

  /** One check at {@code now} (nanoTime) over the items in the supervisor's care. */
  void check(long now, Collection<Tracked> items, ActorRef<EncoderWorker.Reply> replyTo) {
    if (afterNanos <= 0) {
      return;
    }
    WorkerLoads loads = placement.loads();
    boolean any = false;
    for (int w = 0; w < loads.size(); w++) {
      if (!loads.remote(w) || loads.items(w) == 0) {
        loads.suspect(w, false);
        continue;
      }
      long since = Math.max(health.lastHeard(w), loads.busySince(w));
      boolean silent = now - since > boundNanos(w);
      if (silent && !loads.suspected(w)) {
        LOG.info(
            "remote worker {} silent for {} ms with {} items (bound {} ms, answer gap {} ms):"
                + " no new items; hedging its items",
            w,
            (now - since) / 1_000_000,
            loads.items(w),
            boundNanos(w) / 1_000_000,
            Math.round(health.gapMillis(w)));
      }
      loads.suspect(w, silent);
      any |= silent;
    }
    if (!any) {
      return;
    }
    List<Tracked> want = new ArrayList<>();
    for (Tracked t : items) {
      if (HedgeQueue.needs(t, loads)) {
        want.add(t);
      }
    }
    placement.wantHedge(want);
    placement.pull(replyTo);
  }
}

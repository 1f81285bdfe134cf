package dev.vitrail.actors.supervisor;

import dev.vitrail.actors.balance.BalanceMode;
import dev.vitrail.actors.worker.EncoderWorker;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Where the supervisor's items go under its balance policy. Owned by the supervisor
 * (single-threaded).
 *
 * <p>{@code lpt} and {@code cost} plan every item on the current outstanding work of each worker
 * (largest first; with idle workers this is exactly vLLM's assignment), so single-image streams
 * spread over all workers; {@link BestWorker} picks each item's worker, equally loaded ones least
 * recently used first, so sequential single-image requests do not all land on worker 0. An item
 * whose best worker is a remote one without credit (items or bytes outstanding) waits here and is
 * placed again on the next answer; {@code pull} hands items to the least-loaded worker with room.
 * See {@link Outbox} for delivery.
 */
final class Placement {
  private final SupervisorSettings settings;
  private final RemoteSettings remote;
  private final WorkerLoads loads;
  private final Outbox outbox;
  private final int pullDepth;
  private final HedgeQueue hedges = new HedgeQueue();
  private long hedged;

  /** Waiting items: those placed again first (they waited already), then largest first. */
  private final PriorityQueue<Tracked> pending =
      new PriorityQueue<>(
          Comparator.comparing((Tracked t) -> !t.again)
              .thenComparingDouble(t -> -t.cost)
              .thenComparingLong(t -> t.key));

  private final BestWorker best;

  Placement(
      SupervisorSettings settings,
      RemoteSettings remote,
      List<ActorRef<EncoderWorker.Command>> workers) {
    this.settings = settings;
    this.remote = remote;
    this.loads = new WorkerLoads(settings.speeds(), remote);
    this.outbox = new Outbox(workers, loads, remote.maxMessageBytes());
    this.best = new BestWorker(loads, settings.policy() == BalanceMode.LPT);
    // Two batches per worker: one running, the next one queued behind it.
    this.pullDepth = 2 * settings.worker().batchLimit();
  }

  /** Adds a remote worker; returns its index. */
  int add(ActorRef<EncoderWorker.Command> ref) {
    int w = loads.addRemote(remote.speed());
    outbox.add(ref);
    return w;
  }

  /** Sends worker {@code w}'s items with {@code replyTo} as their reply address. */
  void replyThrough(int w, ActorRef<EncoderWorker.Reply> replyTo) {
    outbox.replyThrough(w, replyTo);
  }

  /** Takes worker {@code w} out of placement for good (its node left); its index is not reused. */
  void retire(int w) {
    loads.retire(w);
  }

  /** The per-worker bookkeeping. */
  WorkerLoads loads() {
    return loads;
  }

  /** Places the fresh items of one request (one micro-batch). */
  void placeBatch(List<Tracked> batch, ActorRef<EncoderWorker.Reply> replyTo) {
    if (settings.policy() == BalanceMode.PULL) {
      pending.addAll(batch);
    } else {
      boolean lpt = settings.policy() == BalanceMode.LPT;
      List<Tracked> sorted = new ArrayList<>(batch);
      // Stable: equal sizes keep request order, as in vLLM's assignment.
      sorted.sort(
          Comparator.comparingDouble((Tracked t) -> lpt ? t.input.patchRows() : t.cost).reversed());
      best.newRound();
      for (Tracked t : sorted) {
        placeOrWait(t, -1, replyTo);
      }
    }
    pull(replyTo);
  }

  /** Places an item again, away from worker {@code avoid} when another worker exists. */
  void placeRetry(Tracked t, int avoid, ActorRef<EncoderWorker.Reply> replyTo) {
    t.again = true;
    if (settings.policy() == BalanceMode.PULL) {
      pending.add(t);
    } else {
      best.newRound();
      placeOrWait(t, avoid, replyTo);
    }
    pull(replyTo);
  }

  /**
   * Items of a silent worker that want a second copy, oldest first: each goes to the best other
   * worker as soon as that one has credit, before any waiting item (see {@link HedgeQueue}).
   * Delivered on the next {@link #pull}.
   */
  void wantHedge(List<Tracked> items) {
    hedges.want(items);
  }

  /** Second copies sent so far. */
  long hedged() {
    return hedged;
  }

  /** Sends a second copy of {@code t} to the best other worker if it has credit now. */
  private boolean hedge(Tracked t, ActorRef<EncoderWorker.Reply> replyTo) {
    int h = best.of(t, t.worker, true);
    if (h < 0 || !loads.credit(h, t)) {
      return false;
    }
    t.hedge = h;
    t.hedgeSentAt = System.nanoTime();
    loads.add(h, t, +1);
    outbox.queue(h, t, replyTo, true); // it waited on the silent worker: ahead of the queue
    hedges.copied(t);
    hedged++;
    return true;
  }

  private void placeOrWait(Tracked t, int avoid, ActorRef<EncoderWorker.Reply> replyTo) {
    int w = best.of(t, avoid, false);
    if (w >= 0 && loads.credit(w, t)) {
      send(t, w, replyTo);
    } else {
      pending.add(t);
    }
  }

  /** Copies the items of silent workers, then places waiting items where there is room; sends. */
  void pull(ActorRef<EncoderWorker.Reply> replyTo) {
    best.newRound();
    for (Tracked t : hedges.due(loads)) {
      hedge(t, replyTo);
    }
    List<Tracked> waiting = new ArrayList<>();
    while (!pending.isEmpty()) {
      Tracked t = pending.poll();
      int w =
          settings.policy() == BalanceMode.PULL
              ? loads.idlest(t, pullDepth)
              : best.of(t, -1, false);
      if (w >= 0 && loads.credit(w, t)) {
        send(t, w, replyTo);
      } else {
        waiting.add(t);
      }
    }
    pending.addAll(waiting);
    outbox.deliver();
  }

  /** Frees the credit worker {@code w}'s copy of {@code t} held. */
  void free(Tracked t, int w) {
    loads.add(w, t, -1);
  }

  /** Drops an item that waits here (not yet sent); true if it was waiting. */
  boolean dropWaiting(Tracked t) {
    return pending.remove(t);
  }

  /** A restarted worker's new address. */
  void replace(int worker, ActorRef<EncoderWorker.Command> ref) {
    outbox.replace(worker, ref);
  }

  /** Tells worker {@code w} to drop the queued items {@code keys} (their request was cancelled). */
  void cancelAt(int w, List<Long> keys) {
    outbox.tell(w, new EncoderWorker.Cancel(keys));
  }

  private void send(Tracked t, int w, ActorRef<EncoderWorker.Reply> replyTo) {
    t.worker = w;
    t.sentAt = System.nanoTime();
    loads.add(w, t, +1);
    outbox.queue(w, t, replyTo, t.again);
  }
}

package dev.vitrail.actors.supervisor;

import dev.vitrail.actors.balance.BalanceMode;
import dev.vitrail.actors.cluster.WireModule;
import dev.vitrail.actors.worker.EncoderWorker;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Where the supervisor's items go under its balance policy, and what each worker holds. Owned by
 * the supervisor (single-threaded).
 *
 * <p>{@code lpt} and {@code cost} plan every item on the current outstanding work of each worker
 * (largest first; with idle workers this is exactly vLLM's assignment), so single-image streams
 * spread over all workers. An item whose best worker is a remote one without credit (items or bytes
 * outstanding) waits here and is placed again on the next answer; {@code pull} hands items to the
 * least-loaded worker with room. Deliveries to a remote worker are split so that no message exceeds
 * the frame budget.
 */
final class Placement {
  private final SupervisorSettings settings;
  private final RemoteSettings remote;
  private final List<ActorRef<EncoderWorker.Command>> workers;

  /** Where a worker's answers go; null for local workers (the caller's reply address). */
  private final List<ActorRef<EncoderWorker.Reply>> replyTos = new ArrayList<>();

  private final WorkerLoads loads;
  private final int pullDepth;
  private final List<List<EncoderWorker.Encode>> outbox = new ArrayList<>();
  private final PriorityQueue<Tracked> pending =
      new PriorityQueue<>(
          Comparator.comparingDouble((Tracked t) -> -t.cost).thenComparingLong(t -> t.key));

  Placement(
      SupervisorSettings settings,
      RemoteSettings remote,
      List<ActorRef<EncoderWorker.Command>> workers) {
    this.settings = settings;
    this.remote = remote;
    this.workers = new ArrayList<>(workers);
    this.loads = new WorkerLoads(settings.speeds(), remote);
    // Two batches per worker: one running, the next one queued behind it.
    this.pullDepth = 2 * settings.worker().batchLimit();
    for (int w = 0; w < workers.size(); w++) {
      outbox.add(new ArrayList<>());
      replyTos.add(null);
    }
  }

  /** Adds a remote worker whose answers come through {@code relay}; returns its index. */
  int add(ActorRef<EncoderWorker.Command> ref) {
    int w = loads.addRemote(remote.speed());
    workers.add(ref);
    replyTos.add(null);
    outbox.add(new ArrayList<>());
    return w;
  }

  /** Sends worker {@code w}'s items with {@code replyTo} as their reply address. */
  void replyThrough(int w, ActorRef<EncoderWorker.Reply> replyTo) {
    replyTos.set(w, replyTo);
  }

  /** Takes worker {@code w} out of placement for good (its node left); its index is not reused. */
  void retire(int w) {
    loads.retire(w);
  }

  /** The per-worker bookkeeping (read-only use). */
  WorkerLoads loads() {
    return loads;
  }

  /** Places the fresh items of one request (one micro-batch). */
  void placeBatch(List<Tracked> batch, ActorRef<EncoderWorker.Reply> replyTo) {
    if (settings.policy() == BalanceMode.PULL) {
      pending.addAll(batch);
    } else {
      boolean lpt = settings.policy() == BalanceMode.LPT;
      List<Tracked> order = new ArrayList<>(batch);
      // Stable: equal sizes keep request order, as in vLLM's assignment.
      order.sort(
          Comparator.comparingDouble((Tracked t) -> lpt ? t.input.patchRows() : t.cost).reversed());
      for (Tracked t : order) {
        placeOrWait(t, -1, replyTo);
      }
    }
    pull(replyTo);
  }

  /** Places an item again, away from worker {@code avoid} when another worker exists. */
  void placeRetry(Tracked t, int avoid, ActorRef<EncoderWorker.Reply> replyTo) {
    if (settings.policy() == BalanceMode.PULL) {
      pending.add(t);
    } else {
      placeOrWait(t, avoid, replyTo);
    }
    pull(replyTo);
  }

  private void placeOrWait(Tracked t, int avoid, ActorRef<EncoderWorker.Reply> replyTo) {
    int w = best(t, avoid);
    if (w >= 0 && loads.credit(w, t)) {
      send(t, w, replyTo);
    } else {
      pending.add(t);
    }
  }

  /** The eligible worker finishing {@code t} first (lowest index on ties), or -1. */
  private int best(Tracked t, int avoid) {
    boolean lpt = settings.policy() == BalanceMode.LPT;
    boolean others = false;
    for (int w = 0; w < loads.size(); w++) {
      others |= w != avoid && loads.eligible(w, t);
    }
    int best = -1;
    for (int w = 0; w < loads.size(); w++) {
      if (!loads.eligible(w, t) || (w == avoid && others)) {
        continue;
      }
      if (best < 0 || loads.finish(w, t, lpt) < loads.finish(best, t, lpt)) {
        best = w;
      }
    }
    return best;
  }

  /** Places waiting items where there is room now; sends. */
  void pull(ActorRef<EncoderWorker.Reply> replyTo) {
    List<Tracked> waiting = new ArrayList<>();
    while (!pending.isEmpty()) {
      Tracked t = pending.poll();
      int w = settings.policy() == BalanceMode.PULL ? idlest(t) : best(t, -1);
      if (w >= 0 && loads.credit(w, t)) {
        send(t, w, replyTo);
      } else {
        waiting.add(t);
      }
    }
    pending.addAll(waiting);
    deliver();
  }

  private int idlest(Tracked t) {
    int best = -1;
    for (int w = 0; w < loads.size(); w++) {
      if (loads.eligible(w, t)
          && loads.items(w) < pullDepth
          && loads.credit(w, t)
          && (best < 0 || loads.queueDepth(w) < loads.queueDepth(best))) {
        best = w;
      }
    }
    return best;
  }

  /** Forgets the item's worker, if it has one. */
  void release(Tracked t) {
    if (t.worker >= 0) {
      loads.add(t.worker, t, -1);
      t.worker = -1;
    }
  }

  /** Drops an item that waits here (not yet sent); true if it was waiting. */
  boolean dropWaiting(Tracked t) {
    return pending.remove(t);
  }

  /** A restarted worker's new address. */
  void replace(int worker, ActorRef<EncoderWorker.Command> ref) {
    workers.set(worker, ref);
  }

  private void send(Tracked t, int w, ActorRef<EncoderWorker.Reply> replyTo) {
    t.worker = w;
    t.sentAt = System.nanoTime();
    loads.add(w, t, +1);
    ActorRef<EncoderWorker.Reply> to = replyTos.get(w) != null ? replyTos.get(w) : replyTo;
    outbox.get(w).add(new EncoderWorker.Encode(t.key, t.input, t.spec, t.solo, to));
  }

  /** Sends each worker what was placed on it: one message, or frame-sized ones for remotes. */
  private void deliver() {
    for (int w = 0; w < outbox.size(); w++) {
      List<EncoderWorker.Encode> items = outbox.get(w);
      long limit = loads.remote(w) ? remote.maxMessageBytes() : Long.MAX_VALUE;
      List<EncoderWorker.Encode> chunk = new ArrayList<>();
      long bytes = 0;
      for (EncoderWorker.Encode e : items) {
        long b = WireModule.wireBytes(e.input());
        if (!chunk.isEmpty() && bytes + b > limit) {
          tell(w, chunk);
          chunk = new ArrayList<>();
          bytes = 0;
        }
        chunk.add(e);
        bytes += b;
      }
      tell(w, chunk);
      items.clear();
    }
  }

  private void tell(int w, List<EncoderWorker.Encode> items) {
    if (items.size() == 1) {
      workers.get(w).tell(items.get(0));
    } else if (!items.isEmpty()) {
      workers.get(w).tell(new EncoderWorker.EncodeAll(items));
    }
  }
}

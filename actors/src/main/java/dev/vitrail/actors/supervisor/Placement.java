package dev.vitrail.actors.supervisor;

import dev.vitrail.actors.balance.Assignment;
import dev.vitrail.actors.balance.BalancePolicy;
import dev.vitrail.actors.balance.CostPlanner;
import dev.vitrail.actors.balance.LoadBalancer;
import dev.vitrail.actors.worker.EncoderWorker;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Where the supervisor's items go under its balance policy, and what each worker holds. Owned by
 * the supervisor (single-threaded).
 */
final class Placement {
  private final SupervisorSettings settings;
  private final List<ActorRef<EncoderWorker.Command>> workers;

  /** Where a worker's answers go; null for local workers (the caller's reply address). */
  private final List<ActorRef<EncoderWorker.Reply>> replyTos = new ArrayList<>();

  private double[] speeds;
  private double[] outstanding;
  private int[] inFlight;
  private boolean[] retired;
  private final int pullDepth;
  private final List<List<EncoderWorker.Encode>> outbox = new ArrayList<>();
  private final PriorityQueue<Tracked> pending =
      new PriorityQueue<>(
          Comparator.comparingDouble((Tracked t) -> -t.cost).thenComparingLong(t -> t.key));

  Placement(SupervisorSettings settings, List<ActorRef<EncoderWorker.Command>> workers) {
    this.settings = settings;
    this.workers = new ArrayList<>(workers);
    this.speeds = settings.speeds().clone();
    this.outstanding = new double[workers.size()];
    this.inFlight = new int[workers.size()];
    this.retired = new boolean[workers.size()];
    // Two batches per worker: one running, the next one queued behind it.
    this.pullDepth = 2 * settings.worker().batchLimit();
    for (int w = 0; w < workers.size(); w++) {
      outbox.add(new ArrayList<>());
      replyTos.add(null);
    }
  }

  /** Adds a (remote) worker of relative {@code speed}; returns its index. */
  int add(ActorRef<EncoderWorker.Command> ref, double speed) {
    int w = workers.size();
    workers.add(ref);
    replyTos.add(null);
    outbox.add(new ArrayList<>());
    speeds = Arrays.copyOf(speeds, w + 1);
    speeds[w] = speed;
    outstanding = Arrays.copyOf(outstanding, w + 1);
    inFlight = Arrays.copyOf(inFlight, w + 1);
    retired = Arrays.copyOf(retired, w + 1);
    return w;
  }

  /** Sends worker {@code w}'s items with {@code replyTo} as their reply address. */
  void replyThrough(int w, ActorRef<EncoderWorker.Reply> replyTo) {
    replyTos.set(w, replyTo);
  }

  /** Takes worker {@code w} out of placement for good (its node left); its index is not reused. */
  void retire(int w) {
    retired[w] = true;
  }

  private List<Integer> live() {
    List<Integer> live = new ArrayList<>();
    for (int w = 0; w < workers.size(); w++) {
      if (!retired[w]) {
        live.add(w);
      }
    }
    return live;
  }

  /** Places the fresh items of one request (one micro-batch). */
  void placeBatch(List<Tracked> batch, ActorRef<EncoderWorker.Reply> replyTo) {
    switch (settings.policy()) {
      case LPT -> {
        List<Integer> live = live();
        long[] patches = batch.stream().mapToLong(t -> t.input.patchRows()).toArray();
        Assignment a = LoadBalancer.assign(patches, live.size());
        for (int j = 0; j < live.size(); j++) {
          for (int i : a.itemsOf(j)) {
            send(batch.get(i), live.get(j), replyTo);
          }
        }
      }
      case COST -> {
        List<Integer> live = live();
        int[] owner =
            CostPlanner.plan(
                batch.stream().mapToDouble(t -> t.cost).toArray(),
                live.stream().mapToDouble(w -> speeds[w]).toArray());
        for (int i = 0; i < owner.length; i++) {
          send(batch.get(i), live.get(owner[i]), replyTo);
        }
      }
      case PULL -> pending.addAll(batch);
    }
    pull(replyTo);
  }

  /** Places an item again, away from worker {@code avoid} when another worker exists. */
  void placeRetry(Tracked t, int avoid, ActorRef<EncoderWorker.Reply> replyTo) {
    if (settings.policy() == BalancePolicy.PULL) {
      pending.add(t);
      pull(replyTo);
      return;
    }
    int best = -1;
    boolean others = live().stream().anyMatch(w -> w != avoid);
    for (int w = 0; w < workers.size(); w++) {
      if (retired[w] || (w == avoid && others)) {
        continue;
      }
      if (best < 0 || finish(w, t.cost) < finish(best, t.cost)) {
        best = w;
      }
    }
    send(t, best, replyTo);
    deliver();
  }

  /** Under {@code pull}, gives idle room on each worker the costliest pending items; sends. */
  void pull(ActorRef<EncoderWorker.Reply> replyTo) {
    pullPending(replyTo);
    deliver();
  }

  private void pullPending(ActorRef<EncoderWorker.Reply> replyTo) {
    while (!pending.isEmpty()) {
      int best = -1;
      for (int w = 0; w < workers.size(); w++) {
        if (!retired[w]
            && inFlight[w] < pullDepth
            && (best < 0 || inFlight[w] / speeds[w] < inFlight[best] / speeds[best])) {
          best = w;
        }
      }
      if (best < 0) {
        return;
      }
      send(pending.poll(), best, replyTo);
    }
  }

  /** Forgets the item's worker, if it has one. */
  void release(Tracked t) {
    if (t.worker >= 0) {
      outstanding[t.worker] -= t.cost;
      inFlight[t.worker]--;
      t.worker = -1;
    }
  }

  /** A restarted worker's new address. */
  void replace(int worker, ActorRef<EncoderWorker.Command> ref) {
    workers.set(worker, ref);
  }

  private double finish(int w, double cost) {
    return (outstanding[w] + cost) / speeds[w];
  }

  private void send(Tracked t, int w, ActorRef<EncoderWorker.Reply> replyTo) {
    t.worker = w;
    outstanding[w] += t.cost;
    inFlight[w]++;
    ActorRef<EncoderWorker.Reply> to = replyTos.get(w) != null ? replyTos.get(w) : replyTo;
    outbox.get(w).add(new EncoderWorker.Encode(t.key, t.input, t.spec, t.solo, to));
  }

  /** Sends each worker what was placed on it, in one message so that it can batch it. */
  private void deliver() {
    for (int w = 0; w < outbox.size(); w++) {
      List<EncoderWorker.Encode> items = outbox.get(w);
      if (items.size() == 1) {
        workers.get(w).tell(items.get(0));
      } else if (!items.isEmpty()) {
        workers.get(w).tell(new EncoderWorker.EncodeAll(items));
      }
      items.clear();
    }
  }
}

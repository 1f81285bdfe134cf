package dev.vitrail.actors.supervisor;

import dev.vitrail.actors.cluster.WireModule;
import dev.vitrail.actors.worker.EncoderWorker;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The supervisor's outgoing messages to its workers: items placed since the last delivery, per
 * worker, sent as one message to a local worker and as frame-sized messages to a remote one, each
 * with the reply address of its worker. Owned by {@link Placement} (single-threaded).
 */
final class Outbox {
  private final List<ActorRef<EncoderWorker.Command>> workers;

  /** Where a worker's answers go; null for local workers (the caller's reply address). */
  private final List<ActorRef<EncoderWorker.Reply>> replyTos = new ArrayList<>();

  private final List<List<EncoderWorker.Encode>> queued = new ArrayList<>();
  private final WorkerLoads loads;
  private final long maxMessageBytes;

  Outbox(List<ActorRef<EncoderWorker.Command>> workers, WorkerLoads loads, long maxMessageBytes) {
    this.workers = new ArrayList<>(workers);
    this.loads = loads;
    this.maxMessageBytes = maxMessageBytes;
    for (int w = 0; w < workers.size(); w++) {
      queued.add(new ArrayList<>());
      replyTos.add(null);
    }
  }

  /** A new (remote) worker at the next index. */
  void add(ActorRef<EncoderWorker.Command> ref) {
    workers.add(ref);
    replyTos.add(null);
    queued.add(new ArrayList<>());
  }

  /** Worker {@code w}'s answers go to {@code replyTo}. */
  void replyThrough(int w, ActorRef<EncoderWorker.Reply> replyTo) {
    replyTos.set(w, replyTo);
  }

  /** A restarted worker's new address. */
  void replace(int w, ActorRef<EncoderWorker.Command> ref) {
    workers.set(w, ref);
  }

  /**
   * Queues {@code t} for worker {@code w}; {@code replyTo} unless {@code w} has its own. A {@code
   * first} item runs ahead of the worker's other queued items.
   */
  void queue(int w, Tracked t, ActorRef<EncoderWorker.Reply> replyTo, boolean first) {
    ActorRef<EncoderWorker.Reply> to = replyTos.get(w) != null ? replyTos.get(w) : replyTo;
    queued.get(w).add(new EncoderWorker.Encode(t.key, t.input, t.spec, t.solo, to, first));
  }

  /** Tells worker {@code w} a control message (e.g. a cancel). */
  void tell(int w, EncoderWorker.Command c) {
    workers.get(w).tell(c);
  }

  /** Sends each worker what was queued for it: one message, or frame-sized ones for remotes. */
  void deliver() {
    for (int w = 0; w < queued.size(); w++) {
      List<EncoderWorker.Encode> items = queued.get(w);
      long limit = loads.remote(w) ? maxMessageBytes : Long.MAX_VALUE;
      List<EncoderWorker.Encode> chunk = new ArrayList<>();
      long bytes = 0;
      for (EncoderWorker.Encode e : items) {
        long b = WireModule.wireBytes(e.input());
        if (!chunk.isEmpty() && bytes + b > limit) {
          send(w, chunk);
          chunk = new ArrayList<>();
          bytes = 0;
        }
        chunk.add(e);
        bytes += b;
      }
      send(w, chunk);
      items.clear();
    }
  }

  private void send(int w, List<EncoderWorker.Encode> items) {
    if (items.size() == 1) {
      workers.get(w).tell(items.get(0));
    } else if (!items.isEmpty()) {
      workers.get(w).tell(new EncoderWorker.EncodeAll(items));
    }
  }
}

package dev.vitrail.actors.supervisor;

import dev.vitrail.actors.worker.EncoderWorker;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The supervisor's view of the encoder workers other nodes offer through the receptionist. A newly
 * listed worker joins placement like a local one; a worker that leaves the listing or is terminated
 * (death watch: its node was lost) is retired and its items go to the others. Owned by the
 * supervisor (single-threaded).
 */
final class RemoteWorkers {
  private final ActorContext<Supervisor.Command> ctx;
  private final Placement placement;
  private final ItemLedger ledger;
  private final ActorRef<EncoderWorker.Reply> workerReplies;
  private final double speed;
  private final Map<ActorRef<EncoderWorker.Command>, Integer> known = new HashMap<>();
  private final Map<Integer, ActorRef<EncoderWorker.Reply>> relays = new HashMap<>();

  RemoteWorkers(
      ActorContext<Supervisor.Command> ctx,
      Placement placement,
      ItemLedger ledger,
      ActorRef<EncoderWorker.Reply> workerReplies,
      double speed) {
    this.ctx = ctx;
    this.placement = placement;
    this.ledger = ledger;
    this.workerReplies = workerReplies;
    this.speed = speed;
  }

  /** Applies the receptionist's current listing: adds new workers, retires vanished ones. */
  void onListing(Set<ActorRef<EncoderWorker.Command>> listed) {
    for (ActorRef<EncoderWorker.Command> ref : listed) {
      if (!known.containsKey(ref)) {
        int w = placement.add(ref, speed);
        ActorRef<EncoderWorker.Reply> relay =
            ctx.spawn(
                Behaviors.receive(EncoderWorker.Reply.class)
                    .onMessage(
                        EncoderWorker.Reply.class,
                        r -> {
                          // The remote worker numbers itself on its own node; the ledger knows it
                          // as w.
                          workerReplies.tell(r.asWorker(w));
                          return Behaviors.same();
                        })
                    .build(),
                "remote-worker-replies-" + w);
        placement.replyThrough(w, relay);
        known.put(ref, w);
        relays.put(w, relay);
        ctx.watchWith(ref, new Supervisor.RemoteWorkerLost(ref));
        ctx.getLog().info("remote worker {} joined as worker {}", ref, w);
      }
    }
    for (ActorRef<EncoderWorker.Command> ref : List.copyOf(known.keySet())) {
      if (!listed.contains(ref)) {
        lose(ref, "left the receptionist listing");
      }
    }
  }

  /** Retires a remote worker and re-dispatches what it held; repeated calls do nothing. */
  void lose(ActorRef<EncoderWorker.Command> ref, String why) {
    Integer w = known.remove(ref);
    if (w == null) {
      return;
    }
    ctx.getLog().warn("remote worker {} ({}) {}; re-dispatching its items", w, ref, why);
    ctx.unwatch(ref);
    ctx.stop(relays.remove(w));
    placement.retire(w);
    ledger.onWorkerLost(w);
  }
}

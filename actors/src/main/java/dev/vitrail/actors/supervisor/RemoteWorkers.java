package dev.vitrail.actors.supervisor;

import dev.vitrail.actors.cluster.WorkerNode;
import dev.vitrail.actors.cluster.WorkerService;
import dev.vitrail.actors.worker.EncoderWorker;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;

/**
 * The supervisor's view of the encoder workers other nodes offer through the receptionist. A newly
 * listed worker of the supervisor's model joins placement like a local one; a worker that leaves
 * the listing (it stopped, or its node left, was downed or is unreachable) is retired and its items
 * go to the others. No death watch: a watch on a worker restarted at the address of a removed node
 * fires at once (the old incarnation's removal), so the listing alone decides. Workers of other
 * models are logged once and never used. Owned by the supervisor (single-threaded).
 */
final class RemoteWorkers {
  private final ActorContext<Supervisor.Command> ctx;
  private final Placement placement;
  private final ItemLedger ledger;
  private final ActorRef<EncoderWorker.Reply> workerReplies;
  private final Map<ActorRef<EncoderWorker.Command>, Integer> known = new HashMap<>();
  private final Map<Integer, ActorRef<EncoderWorker.Reply>> relays = new HashMap<>();
  private final Set<ActorRef<EncoderWorker.Command>> ignored = new HashSet<>();
  private final List<String> labels = new ArrayList<>();
  private final String fingerprint;

  RemoteWorkers(
      ActorContext<Supervisor.Command> ctx,
      Placement placement,
      ItemLedger ledger,
      ActorRef<EncoderWorker.Reply> workerReplies,
      int localWorkers,
      String fingerprint) {
    this.fingerprint = fingerprint;
    this.ctx = ctx;
    this.placement = placement;
    this.ledger = ledger;
    this.workerReplies = workerReplies;
    for (int w = 0; w < localWorkers; w++) {
      labels.add("local/" + w);
    }
  }

  /** Every worker's label by index: {@code local/N}, or the remote worker's node and name. */
  List<String> labels() {
    return labels;
  }

  /**
   * Subscribes {@code listings} to the workers of this model and to every worker (one adapter per
   * message class: both listings come through it, told apart by key).
   */
  void subscribe(ActorRef<Receptionist.Listing> listings) {
    var receptionist = ctx.getSystem().receptionist();
    receptionist.tell(Receptionist.subscribe(WorkerService.forModel(fingerprint), listings));
    receptionist.tell(Receptionist.subscribe(WorkerService.KEY, listings));
  }

  /** Applies one listing from {@link #subscribe}. */
  void onListing(Receptionist.Listing listing) {
    if (listing.isForKey(WorkerService.KEY)) {
      onAnyListing(listing.getServiceInstances(WorkerService.KEY));
    } else {
      onListing(listing.getServiceInstances(WorkerService.forModel(fingerprint)));
    }
  }

  /** Applies the receptionist's current listing: adds new workers, retires vanished ones. */
  private void onListing(Set<ActorRef<EncoderWorker.Command>> listed) {
    for (ActorRef<EncoderWorker.Command> ref : listed) {
      if (!known.containsKey(ref)) {
        int w = placement.add(ref);
        labels.add(ref.path().address().hostPort() + "/" + ref.path().name());
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
        ctx.getLog().info("remote worker {} joined as worker {}", ref, w);
      }
    }
    for (ActorRef<EncoderWorker.Command> ref : List.copyOf(known.keySet())) {
      if (!listed.contains(ref)) {
        lose(ref, "left the receptionist listing (node left, downed or unreachable)");
      }
    }
    ledger.pull();
  }

  /**
   * Logs, once each, listed workers of every model whose fingerprint (part of their actor name, see
   * {@code WorkerNode}) is not {@code fingerprint}; they are never used.
   */
  private void onAnyListing(Set<ActorRef<EncoderWorker.Command>> all) {
    String mine = WorkerNode.nameTag(fingerprint);
    for (ActorRef<EncoderWorker.Command> ref : all) {
      String name = ref.path().name();
      if (!name.startsWith(WorkerNode.PREFIX + mine + "-") && ignored.add(ref)) {
        ctx.getLog()
            .warn(
                "ignoring remote worker {}: it serves another model (fingerprint {} expected)",
                ref,
                mine);
      }
    }
    ignored.retainAll(all);
  }

  /** Retires a remote worker and re-dispatches what it held; repeated calls do nothing. */
  void lose(ActorRef<EncoderWorker.Command> ref, String why) {
    Integer w = known.remove(ref);
    if (w == null) {
      return;
    }
    ctx.getLog().warn("remote worker {} ({}) {}; re-dispatching its items", w, ref, why);
    ctx.stop(relays.remove(w));
    placement.retire(w);
    ledger.onWorkerLost(w);
  }
}

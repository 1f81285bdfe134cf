package dev.vitrail.actors.supervisor;

import dev.vitrail.actors.aggregate.Aggregator;
import dev.vitrail.actors.aggregate.GatherLayout;
import dev.vitrail.actors.aggregate.ItemResult;
import dev.vitrail.actors.aggregate.RequestOutcome;
import dev.vitrail.actors.cache.CacheKey;
import dev.vitrail.actors.cache.EncoderCache;
import dev.vitrail.actors.cluster.WorkerService;
import dev.vitrail.actors.worker.EncoderFactory;
import dev.vitrail.actors.worker.EncoderWorker;
import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;

/**
 * Admits encode requests, balances their items over the workers, re-dispatches the items of failed
 * or stopped workers, and answers every request exactly once through a per-request {@link
 * Aggregator}.
 *
 * <p>An item whose tower call fails is retried alone (in a batch of one) on another worker where
 * there is one; after {@code maxAttempts} failures it fails alone: its request still completes,
 * with an {@link ItemResult.Failed} in that item's place and features for every other item.
 *
 * <p>Created {@link #createWithRemoteWorkers with remote workers}, it also uses every worker the
 * cluster's receptionist lists under {@link WorkerService#forModel} of its model's fingerprint,
 * like its own but within a per-worker credit (see {@link RemoteWorkers}, {@link Placement}).
 */
public final class Supervisor extends AbstractBehavior<Supervisor.Command> {
  /** What the supervisor accepts. */
  public sealed interface Command {}

  /**
   * Encode {@code inputs} with {@code spec}; {@code gatherReduction} > 0 also asks for vLLM's
   * padded gather layout with that many patches per output row.
   */
  public record Submit(
      List<PixelInput> inputs,
      FeatureSpec spec,
      int gatherReduction,
      ActorRef<RequestOutcome> replyTo)
      implements Command {
    public Submit {
      inputs = List.copyOf(inputs);
    }
  }

  /** Stop admitting, finish everything in flight, then stop and answer. */
  public record Drain(ActorRef<Done> replyTo) implements Command {}

  /** Ask for counters. */
  public record GetStats(ActorRef<SupervisorStats> replyTo) implements Command {}

  private record FromWorker(EncoderWorker.Reply reply) implements Command {}

  private record WorkerStopped(int worker) implements Command {}

  private record AggregatorStopped(ActorRef<Aggregator.Command> aggregator) implements Command {}

  private record WorkersListed(Receptionist.Listing listing) implements Command {}

  private final SupervisorSettings settings;
  private final EncoderFactory factory;
  private final ActorRef<EncoderWorker.Reply> workerReplies;
  private final Placement placement;
  private final ItemLedger ledger;
  private final EncoderCache cache;
  private final RemoteWorkers remote;
  private final String fingerprint;
  private long nextKey;
  private long rejected;
  private int liveAggregators;
  private final List<ActorRef<Done>> drainWaiters = new ArrayList<>();

  /**
   * A supervisor with {@code settings.workers()} workers, each opening its tower with {@code
   * factory}.
   */
  public static Behavior<Command> create(SupervisorSettings settings, EncoderFactory factory) {
    return Behaviors.setup(ctx -> new Supervisor(ctx, settings, factory, null));
  }

  /**
   * A supervisor that also uses the workers other cluster nodes register under {@link
   * WorkerService#forModel} of an empty fingerprint, each with relative speed {@code
   * remoteWorkerSpeed}.
   */
  public static Behavior<Command> createWithRemoteWorkers(
      SupervisorSettings settings, EncoderFactory factory, double remoteWorkerSpeed) {
    if (!(remoteWorkerSpeed > 0)) {
      throw new IllegalArgumentException(
          "remote worker speed must be positive, got " + remoteWorkerSpeed);
    }
    return createWithRemoteWorkers(settings, factory, RemoteSettings.of(remoteWorkerSpeed));
  }

  /** A supervisor that also uses the remote workers of {@code remote.fingerprint()}. */
  public static Behavior<Command> createWithRemoteWorkers(
      SupervisorSettings settings, EncoderFactory factory, RemoteSettings remote) {
    return Behaviors.setup(ctx -> new Supervisor(ctx, settings, factory, remote));
  }

  private Supervisor(
      ActorContext<Command> ctx,
      SupervisorSettings settings,
      EncoderFactory factory,
      RemoteSettings remoteSettings) {
    super(ctx);
    this.settings = settings;
    this.factory = factory;
    this.fingerprint = remoteSettings != null ? remoteSettings.fingerprint() : "";
    this.workerReplies = ctx.messageAdapter(EncoderWorker.Reply.class, FromWorker::new);
    this.cache = new EncoderCache(settings.cacheBytes());
    List<ActorRef<EncoderWorker.Command>> workers = new ArrayList<>();
    for (int w = 0; w < settings.workers(); w++) {
      workers.add(spawnWorker(w));
    }
    this.placement =
        new Placement(
            settings, remoteSettings != null ? remoteSettings : RemoteSettings.of(1), workers);
    this.ledger = new ItemLedger(settings, placement, cache, workerReplies);
    this.remote = new RemoteWorkers(ctx, placement, ledger, workerReplies, settings.workers());
    if (remoteSettings != null) {
      // One adapter per message class: both listings come through it, told apart by key.
      ActorRef<Receptionist.Listing> listings =
          ctx.messageAdapter(Receptionist.Listing.class, WorkersListed::new);
      var receptionist = ctx.getSystem().receptionist();
      receptionist.tell(Receptionist.subscribe(WorkerService.forModel(fingerprint), listings));
      receptionist.tell(Receptionist.subscribe(WorkerService.KEY, listings));
    }
  }

  private ActorRef<EncoderWorker.Command> spawnWorker(int w) {
    ActorRef<EncoderWorker.Command> ref =
        getContext()
            .spawn(
                EncoderWorker.create(w, factory, settings.worker()),
                "worker-" + w + "-" + nextKey++);
    getContext().watchWith(ref, new WorkerStopped(w));
    return ref;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Submit.class, this::onSubmit)
        .onMessage(FromWorker.class, m -> onWorkerReply(m.reply()))
        .onMessage(WorkerStopped.class, this::onWorkerStopped)
        .onMessage(
            WorkersListed.class,
            l -> {
              if (l.listing().isForKey(WorkerService.KEY)) {
                remote.onAnyListing(
                    l.listing().getServiceInstances(WorkerService.KEY), fingerprint);
              } else {
                remote.onListing(
                    l.listing().getServiceInstances(WorkerService.forModel(fingerprint)));
              }
              return drainedOrThis();
            })
        .onMessage(
            AggregatorStopped.class,
            a -> {
              liveAggregators--;
              ledger.cancel(a.aggregator());
              return drainedOrThis();
            })
        .onMessage(Drain.class, this::onDrain)
        .onMessage(GetStats.class, this::onGetStats)
        .build();
  }

  private Behavior<Command> onSubmit(Submit s) {
    if (!drainWaiters.isEmpty()) {
      return reject(s, "shutting down", false);
    }
    if (s.inputs().isEmpty() || s.inputs().size() > settings.maxInFlightItems()) {
      return reject(
          s,
          "a request needs 1 to "
              + settings.maxInFlightItems()
              + " inputs (the in-flight"
              + " limit), got "
              + s.inputs().size()
              + "; split it",
          false);
    }
    if (ledger.size() + s.inputs().size() > settings.maxInFlightItems()) {
      return reject(
          s,
          "busy: "
              + ledger.size()
              + " items in flight, limit "
              + settings.maxInFlightItems()
              + "; retry later",
          true);
    }
    GatherLayout layout = null;
    if (s.gatherReduction() > 0) {
      try {
        long[] patches = s.inputs().stream().mapToLong(PixelInput::patchRows).toArray();
        layout = GatherLayout.mrope(patches, s.gatherReduction(), settings.workers());
      } catch (IllegalArgumentException e) {
        return reject(s, "no padded gather layout: " + e.getMessage(), false);
      }
    }
    ActorRef<Aggregator.Command> agg =
        getContext()
            .spawnAnonymous(
                Aggregator.create(
                    s.inputs().size(), layout, settings.requestIdleTimeout(), s.replyTo()));
    getContext().watchWith(agg, new AggregatorStopped(agg));
    liveAggregators++;
    List<Tracked> fresh = new ArrayList<>();
    for (int i = 0; i < s.inputs().size(); i++) {
      PixelInput in = s.inputs().get(i);
      CacheKey ck = cache.enabled() ? CacheKey.of(in, s.spec()) : null;
      FeatureOutput hit = ck != null ? cache.lookup(ck) : null;
      if (hit != null) {
        agg.tell(new Aggregator.Collect(i, new ItemResult.Encoded(hit)));
        continue;
      }
      Tracked t =
          new Tracked(
              nextKey++, in, s.spec(), agg, i, settings.costModel().cost(in.patchRows()), ck);
      fresh.add(t);
    }
    ledger.admit(fresh);
    return this;
  }

  private Behavior<Command> reject(Submit s, String reason, boolean busy) {
    rejected++;
    s.replyTo().tell(new RequestOutcome.Rejected(reason, busy));
    return this;
  }

  private Behavior<Command> onWorkerReply(EncoderWorker.Reply reply) {
    ledger.onReply(reply);
    return drainedOrThis();
  }

  private Behavior<Command> onWorkerStopped(WorkerStopped s) {
    getContext().getLog().warn("worker {} stopped; re-dispatching its items", s.worker());
    placement.replace(s.worker(), spawnWorker(s.worker()));
    ledger.onWorkerStopped(s.worker());
    return drainedOrThis();
  }

  private Behavior<Command> onDrain(Drain d) {
    drainWaiters.add(d.replyTo());
    return drainedOrThis();
  }

  private Behavior<Command> drainedOrThis() {
    if (drainWaiters.isEmpty() || ledger.size() > 0 || liveAggregators > 0) {
      return this;
    }
    drainWaiters.forEach(r -> r.tell(Done.getInstance()));
    return Behaviors.stopped();
  }

  private Behavior<Command> onGetStats(GetStats g) {
    g.replyTo().tell(ledger.stats(rejected, remote.labels()));
    return this;
  }
}

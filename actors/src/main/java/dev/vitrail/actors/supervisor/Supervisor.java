package dev.vitrail.actors.supervisor;

import dev.vitrail.actors.aggregate.Aggregator;
import dev.vitrail.actors.aggregate.RequestOutcome;
import dev.vitrail.actors.cache.EncoderCache;
import dev.vitrail.actors.cluster.WorkerService;
import dev.vitrail.actors.worker.EncoderFactory;
import dev.vitrail.actors.worker.EncoderWorker;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * like its own but within a per-worker credit (see {@link RemoteWorkers}, {@link Placement}), and
 * hedges the items of a remote worker that went silent (see {@link Hedger}).
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

  /**
   * The caller of the request answering {@code replyTo} gave up (its client left, or it timed out):
   * its items waiting here are dropped, its workers drop those still queued, and nothing is
   * answered.
   */
  public record Cancel(ActorRef<RequestOutcome> replyTo) implements Command {}

  /** Stop admitting, finish everything in flight, then stop and answer. */
  public record Drain(ActorRef<Done> replyTo) implements Command {}

  /** Ask for counters. */
  public record GetStats(ActorRef<SupervisorStats> replyTo) implements Command {}

  private record FromWorker(EncoderWorker.Reply reply) implements Command {}

  private record WorkerStopped(int worker) implements Command {}

  record AggregatorStopped(ActorRef<Aggregator.Command> aggregator) implements Command {}

  private record WorkersListed(Receptionist.Listing listing) implements Command {}

  private record CheckSilent() implements Command {}

  /** Under a Vitrail name: the actor context's logger is Pekko's (WARN and up by default). */
  private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);

  private final SupervisorSettings settings;
  private final EncoderFactory factory;
  private final ActorRef<EncoderWorker.Reply> workerReplies;
  private final Placement placement;
  private final WorkerHealth health;
  private final ItemLedger ledger;
  private final Hedger hedger;
  private final Intake intake;
  private final EncoderCache cache;
  private final RemoteWorkers remote;
  private long spawned;
  private final List<ActorRef<Done>> drainWaiters = new ArrayList<>();

  /**
   * A supervisor with {@code settings.workers()} workers, each opening its tower with {@code
   * factory}.
   */
  public static Behavior<Command> create(SupervisorSettings settings, EncoderFactory factory) {
    return Behaviors.setup(ctx -> new Supervisor(ctx, settings, factory, null, null));
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
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(timers -> new Supervisor(ctx, settings, factory, remote, timers)));
  }

  private Supervisor(
      ActorContext<Command> ctx,
      SupervisorSettings settings,
      EncoderFactory factory,
      RemoteSettings remoteSettings,
      TimerScheduler<Command> timers) {
    super(ctx);
    this.settings = settings;
    this.factory = factory;
    RemoteSettings rs = remoteSettings != null ? remoteSettings : RemoteSettings.of(1);
    this.workerReplies = ctx.messageAdapter(EncoderWorker.Reply.class, FromWorker::new);
    this.cache = new EncoderCache(settings.cacheBytes());
    List<ActorRef<EncoderWorker.Command>> workers = new ArrayList<>();
    for (int w = 0; w < settings.workers(); w++) {
      workers.add(spawnWorker(w));
    }
    this.placement = new Placement(settings, rs, workers);
    this.health = new WorkerHealth(settings.workers());
    this.ledger = new ItemLedger(settings, placement, cache, workerReplies, health);
    this.hedger = new Hedger(rs.hedgeAfter(), placement, health);
    this.intake = new Intake(ctx, settings, ledger, cache);
    this.remote =
        new RemoteWorkers(
            ctx, placement, ledger, workerReplies, settings.workers(), rs.fingerprint());
    if (remoteSettings != null) {
      remote.subscribe(ctx.messageAdapter(Receptionist.Listing.class, WorkersListed::new));
      if (!rs.hedgeAfter().isZero()) {
        long every = Math.max(20, Math.min(250, rs.hedgeAfter().toMillis() / 4));
        timers.startTimerWithFixedDelay(new CheckSilent(), Duration.ofMillis(every));
      }
    }
  }

  private ActorRef<EncoderWorker.Command> spawnWorker(int w) {
    ActorRef<EncoderWorker.Command> ref =
        getContext()
            .spawn(
                EncoderWorker.create(w, factory, settings.worker()),
                "worker-" + w + "-" + spawned++);
    getContext().watchWith(ref, new WorkerStopped(w));
    return ref;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Submit.class, s -> then(() -> intake.submit(s, !drainWaiters.isEmpty())))
        .onMessage(FromWorker.class, m -> then(() -> onWorkerReply(m.reply())))
        .onMessage(WorkerStopped.class, this::onWorkerStopped)
        .onMessage(WorkersListed.class, l -> then(() -> remote.onListing(l.listing())))
        .onMessage(AggregatorStopped.class, a -> then(() -> intake.stopped(a.aggregator())))
        .onMessage(Cancel.class, c -> then(() -> intake.cancel(c.replyTo())))
        .onMessage(
            CheckSilent.class,
            c -> then(() -> hedger.check(System.nanoTime(), ledger.items(), workerReplies)))
        .onMessage(Drain.class, d -> then(() -> drainWaiters.add(d.replyTo())))
        .onMessage(GetStats.class, this::onGetStats)
        .build();
  }

  /** Runs {@code step}, then stops if a drain is complete. */
  private Behavior<Command> then(Runnable step) {
    step.run();
    return drainedOrThis();
  }

  private void onWorkerReply(EncoderWorker.Reply reply) {
    if (reply instanceof EncoderWorker.Leaving l) {
      LOG.info("worker {} is leaving: no new items; it finishes what it holds", l.worker());
    }
    ledger.onReply(reply);
  }

  private Behavior<Command> onWorkerStopped(WorkerStopped s) {
    getContext().getLog().warn("worker {} stopped; re-dispatching its items", s.worker());
    placement.replace(s.worker(), spawnWorker(s.worker()));
    ledger.onWorkerStopped(s.worker());
    return drainedOrThis();
  }

  private Behavior<Command> drainedOrThis() {
    if (drainWaiters.isEmpty() || ledger.size() > 0 || intake.live() > 0) {
      return this;
    }
    drainWaiters.forEach(r -> r.tell(Done.getInstance()));
    return Behaviors.stopped();
  }

  private Behavior<Command> onGetStats(GetStats g) {
    g.replyTo()
        .tell(
            StatsView.of(
                ledger, intake.rejected, hedger, health, placement, cache, remote.labels()));
    return this;
  }
}

package dev.vitrail.actors.worker;

import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import java.util.HashSet;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Owns one tower on one device. Queued items are batched (same spec; same shape for fixed-size
 * inputs) up to a limit and a short wait ({@link BatchQueue}), run on the worker's {@link
 * TowerThread} and answered per item ({@link TowerCalls}); while one call runs, the next full batch
 * already waits on the tower thread. A tower that throws, or hangs past the call timeout, fails its
 * batch back to the sender, hands back every item not yet tried, and the worker restarts with
 * backoff (opening a fresh tower). Queued items can be cancelled (answered as returned), and a
 * leaving node's worker tells the supervisors it served that it is leaving.
 */
public final class EncoderWorker extends AbstractBehavior<EncoderWorker.Command> {
  /** What a worker accepts. */
  public sealed interface Command {}

  /**
   * Encode one item. {@code solo} items run in a batch of their own (retries of failed batches);
   * {@code first} items are queued ahead of the others (they already waited on another worker: a
   * hedged copy, or an item of a lost worker).
   */
  public record Encode(
      long key,
      PixelInput input,
      FeatureSpec spec,
      boolean solo,
      ActorRef<Reply> replyTo,
      boolean first)
      implements Command, CrossNode {
    /** An item queued in arrival order. */
    public Encode(
        long key, PixelInput input, FeatureSpec spec, boolean solo, ActorRef<Reply> replyTo) {
      this(key, input, spec, solo, replyTo, false);
    }
  }

  /** Encode several items, queued together so that they can share a tower call. */
  public record EncodeAll(List<Encode> items) implements Command, CrossNode {
    public EncodeAll {
      items = List.copyOf(items);
    }
  }

  /** Drop these items if still queued (their request was cancelled); answered as returned. */
  public record Cancel(List<Long> keys) implements Command, CrossNode {
    public Cancel {
      keys = List.copyOf(keys);
    }
  }

  /**
   * The node is leaving: tell every supervisor seen lately ({@link Leaving}) and answer how many
   * items this worker still holds (queued or running); the items keep running.
   */
  public record Leave(ActorRef<Integer> replyTo) implements Command {}

  /** Hand back every queued item not yet started (a leave that ran out of time). */
  public record HandBack() implements Command {}

  record Flush() implements Command {}

  /** A tower call ended (see {@link TowerCalls}). */
  record BatchFinished(long batch, OomSplit.Result<FeatureOutput> result, Throwable failure)
      implements Command {}

  /** A tower call ran past its time limit. */
  record BatchTimedOut(long batch) implements Command {}

  /** What a worker answers. */
  public sealed interface Reply extends CrossNode {
    /** The worker that answers. */
    int worker();

    /**
     * The same answer as from worker {@code index} (the supervisor's number for a remote worker).
     */
    Reply asWorker(int index);
  }

  /** One item's features. */
  public record ItemEncoded(int worker, long key, FeatureOutput output) implements Reply {
    @Override
    public Reply asWorker(int index) {
      return new ItemEncoded(index, key, output);
    }
  }

  /** The items of a failed tower call (each counts one attempt). */
  public record ItemsFailed(int worker, List<Long> keys, String cause) implements Reply {
    @Override
    public Reply asWorker(int index) {
      return new ItemsFailed(index, keys, cause);
    }
  }

  /** Queued items never tried, handed back because the worker is restarting. */
  public record ItemsReturned(int worker, List<Long> keys) implements Reply {
    @Override
    public Reply asWorker(int index) {
      return new ItemsReturned(index, keys);
    }
  }

  /** The worker's node is leaving: place nothing more on it; what it holds still gets answered. */
  public record Leaving(int worker) implements Reply {
    @Override
    public Reply asWorker(int index) {
      return new Leaving(index);
    }
  }

  /** Timer key of the flush of a partial batch. */
  static final Object FLUSH = "flush";

  private static final int STASH_CAPACITY = 1 << 20;

  private final int worker;
  private final WorkerSettings settings;
  private final BatchQueue queue;
  private final TowerCalls calls;
  private final LeaveNotice leave;

  /** A worker restarted with backoff when its tower fails or hangs. */
  public static Behavior<Command> create(
      int worker, EncoderFactory factory, WorkerSettings settings) {
    Behavior<Command> body =
        Behaviors.setup(
            ctx ->
                Behaviors.withTimers(
                    timers -> new EncoderWorker(ctx, worker, factory, settings, timers)));
    return Behaviors.supervise(body)
        .onFailure(
            WorkerFailure.class,
            SupervisorStrategy.restartWithBackoff(settings.minBackoff(), settings.maxBackoff(), 0.2)
                .withResetBackoffAfter(settings.maxBackoff().multipliedBy(4))
                // Items sent during the backoff wait for the restarted worker; admission bounds
                // them.
                .withStashCapacity(STASH_CAPACITY));
  }

  private EncoderWorker(
      ActorContext<Command> ctx,
      int worker,
      EncoderFactory factory,
      WorkerSettings settings,
      TimerScheduler<Command> timers) {
    super(ctx);
    this.worker = worker;
    this.settings = settings;
    this.queue = new BatchQueue(settings.batchLimit(), settings.batchPatchBudget());
    TowerThread tower = new TowerThread(worker, factory, settings.gate());
    this.calls = new TowerCalls(worker, settings, ctx, timers, tower, queue);
    this.leave = new LeaveNotice(worker);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Encode.class, e -> onEncode(List.of(e)))
        .onMessage(EncodeAll.class, all -> onEncode(all.items()))
        .onMessage(Cancel.class, c -> handBack(queue.remove(new HashSet<>(c.keys()))))
        .onMessage(HandBack.class, h -> handBack(queue.drain()))
        .onMessage(Leave.class, this::onLeave)
        .onMessage(Flush.class, f -> then(calls::flush))
        .onMessage(BatchFinished.class, done -> then(() -> calls.finished(done)))
        .onMessage(BatchTimedOut.class, t -> then(() -> calls.timedOut(t)))
        .onSignal(PreRestart.class, s -> then(() -> calls.release(false)))
        .onSignal(PostStop.class, s -> then(() -> calls.release(true)))
        .build();
  }

  private Behavior<Command> then(Runnable step) {
    step.run();
    return this;
  }

  private Behavior<Command> onEncode(List<Encode> items) {
    leave.served(items);
    calls.add(items);
    return this;
  }

  private Behavior<Command> handBack(List<Encode> items) {
    for (Encode e : items) {
      e.replyTo().tell(new ItemsReturned(worker, List.of(e.key())));
    }
    return this;
  }

  private Behavior<Command> onLeave(Leave l) {
    leave.leave();
    l.replyTo().tell(calls.held());
    return this;
  }
}

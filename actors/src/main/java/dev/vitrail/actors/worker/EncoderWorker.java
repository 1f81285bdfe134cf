package dev.vitrail.actors.worker;

import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
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
 * inputs) up to a limit and a short wait, run on the worker's {@link TowerThread}, and answered per
 * item; while one call runs, the next full batch already waits on the tower thread. A tower that
 * throws, or hangs past the call timeout, fails its batch back to the sender, hands back every item
 * not yet tried, and the worker restarts with backoff (opening a fresh tower).
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

  private record Flush() implements Command {}

  private record BatchFinished(long batch, OomSplit.Result<FeatureOutput> result, Throwable failure)
      implements Command {}

  private record BatchTimedOut(long batch) implements Command {}

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

  private static final Object FLUSH = "flush";

  /** Supervisors remembered for {@link Leave} (one per supervisor; more is unusual). */
  private static final int MAX_SUPERVISORS = 16;

  /** Tower calls handed to the tower thread at once: one running, one waiting right behind it. */
  private static final int PIPELINE = 2;

  private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);
  private static final int STASH_CAPACITY = 1 << 20;

  /**
   * Batch ids unique across restarts, so a late answer from a previous incarnation never matches.
   */
  private static final AtomicLong BATCH_IDS = new AtomicLong();

  private record Running(long id, List<Encode> items) {}

  private final int worker;
  private final WorkerSettings settings;
  private final TimerScheduler<Command> timers;
  private final TowerThread tower;
  private final BatchQueue queue;
  private final ArrayDeque<Running> running = new ArrayDeque<>();
  private boolean flushQueued;
  private boolean leaving;
  private final LinkedHashSet<ActorRef<Reply>> supervisors = new LinkedHashSet<>();

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
    this.timers = timers;
    this.tower = new TowerThread(worker, factory, settings.gate());
    this.queue = new BatchQueue(settings.batchLimit(), settings.batchPatchBudget());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Encode.class, e -> onEncode(List.of(e)))
        .onMessage(EncodeAll.class, all -> onEncode(all.items()))
        .onMessage(Cancel.class, c -> handBack(queue.remove(new HashSet<>(c.keys()))))
        .onMessage(HandBack.class, h -> handBack(queue.drain()))
        .onMessage(Leave.class, this::onLeave)
        .onMessage(
            Flush.class,
            f -> {
              flushQueued = false;
              return submit(true);
            })
        .onMessage(BatchFinished.class, this::onBatchFinished)
        .onMessage(BatchTimedOut.class, this::onBatchTimedOut)
        .onSignal(
            PreRestart.class,
            s -> {
              settings.gate().hold(worker, 0);
              tower.close();
              return this;
            })
        .onSignal(
            PostStop.class,
            s -> {
              settings.gate().hold(worker, 0);
              // Free the tower before the stop completes; a hung call is not waited for long.
              tower.closeAndWait(
                  CLOSE_WAIT.compareTo(settings.callTimeout()) < 0
                      ? CLOSE_WAIT
                      : settings.callTimeout());
              return this;
            })
        .build();
  }

  private Behavior<Command> onEncode(List<Encode> items) {
    for (Encode e : items) {
      if (supervisors.add(e.replyTo()) && supervisors.size() > MAX_SUPERVISORS) {
        supervisors.remove(supervisors.iterator().next());
      }
      if (leaving) {
        e.replyTo().tell(new Leaving(worker));
      }
    }
    queue.addAll(items);
    reportHolding();
    if (!running.isEmpty() || queue.full()) {
      return submit(false);
    }
    if (settings.batchWait().isZero()) {
      // A flush queued behind the items already in the mailbox: they join this batch.
      if (!flushQueued) {
        flushQueued = true;
        getContext().getSelf().tell(new Flush());
      }
    } else if (!timers.isTimerActive(FLUSH)) {
      timers.startSingleTimer(FLUSH, new Flush(), settings.batchWait());
    }
    return this;
  }

  private Behavior<Command> handBack(List<Encode> items) {
    for (Encode e : items) {
      e.replyTo().tell(new ItemsReturned(worker, List.of(e.key())));
    }
    return this;
  }

  private Behavior<Command> onLeave(Leave l) {
    if (!leaving) {
      leaving = true;
      supervisors.forEach(s -> s.tell(new Leaving(worker)));
    }
    int held = queue.size();
    for (Running r : running) {
      held += r.items().size();
    }
    l.replyTo().tell(held);
    return this;
  }

  /**
   * Hands batches to the tower thread: a partial batch only when the tower is idle and {@code
   * partialOk}; a full batch also while one call runs, so the thread never waits for us.
   */
  private Behavior<Command> submit(boolean partialOk) {
    while (!queue.isEmpty()
        && running.size() < PIPELINE
        && (queue.full() || (running.isEmpty() && partialOk))) {
      timers.cancel(FLUSH);
      List<Encode> batch = queue.take();
      long id = BATCH_IDS.incrementAndGet();
      running.add(new Running(id, batch));
      List<PixelInput> inputs = batch.stream().map(Encode::input).toList();
      getContext()
          .pipeToSelf(
              tower.encode(inputs, batch.get(0).spec()),
              (out, err) -> new BatchFinished(id, out, err));
      // A call queued behind another may wait for it first.
      timers.startSingleTimer(
          id, new BatchTimedOut(id), settings.callTimeout().multipliedBy(running.size()));
    }
    return this;
  }

  private Behavior<Command> onBatchFinished(BatchFinished done) {
    Running head = running.peek();
    if (head == null || head.id() != done.batch()) {
      return this; // a late answer from a call already given up on
    }
    running.poll();
    reportHolding();
    timers.cancel(head.id());
    if (done.failure() != null) {
      Throwable cause =
          done.failure().getCause() != null ? done.failure().getCause() : done.failure();
      return fail(head.items(), "tower failed: " + cause, false);
    }
    OomSplit.Result<FeatureOutput> result = done.result();
    if (result.splits() > 0) {
      getContext()
          .getLog()
          .warn(
              "worker {}: a batch of {} ran out of device memory; split {} time(s), {} item(s) failed"
                  + " alone",
              worker,
              head.items().size(),
              result.splits(),
              result.errors().stream().filter(Objects::nonNull).count());
    }
    for (int i = 0; i < head.items().size(); i++) {
      Encode e = head.items().get(i);
      String error = result.errors().get(i);
      if (error == null) {
        e.replyTo().tell(new ItemEncoded(worker, e.key(), result.outputs().get(i)));
      } else {
        // Too large for this device even alone: the item fails (one attempt), the worker stays up.
        e.replyTo()
            .tell(new ItemsFailed(worker, List.of(e.key()), "worker " + worker + ": " + error));
      }
    }
    return submit(true);
  }

  private Behavior<Command> onBatchTimedOut(BatchTimedOut t) {
    Running head = running.peek();
    if (head == null || head.id() != t.batch()) {
      return this;
    }
    running.poll();
    return fail(head.items(), "tower call hung for more than " + settings.callTimeout(), true);
  }

  /** Tells the core gate how many items this worker holds (queued, waiting or running). */
  private void reportHolding() {
    int items = queue.size();
    for (Running r : running) {
      items += r.items().size();
    }
    settings.gate().hold(worker, items);
  }

  /** Fails {@code batch}, hands back everything else, and restarts the worker. */
  private Behavior<Command> fail(List<Encode> batch, String cause, boolean hung) {
    for (Encode e : batch) {
      e.replyTo().tell(new ItemsFailed(worker, List.of(e.key()), cause));
    }
    List<Encode> untried = new ArrayList<>();
    running.forEach(r -> untried.addAll(r.items()));
    running.clear();
    untried.addAll(queue.drain());
    for (Encode e : untried) {
      e.replyTo().tell(new ItemsReturned(worker, List.of(e.key())));
    }
    if (hung) {
      tower.close(true);
      settings.gate().abandon(worker);
    }
    settings.gate().hold(worker, 0);
    throw new WorkerFailure("worker " + worker + ": " + cause);
  }
}

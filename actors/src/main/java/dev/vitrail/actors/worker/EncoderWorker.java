package dev.vitrail.actors.worker;

import dev.vitrail.encoders.api.FeatureOutput;
import dev.vitrail.encoders.api.FeatureSpec;
import dev.vitrail.encoders.api.PixelInput;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
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
 * item. A tower that throws, or hangs past the call timeout, fails its batch back to the sender,
 * hands back the queued items, and the worker restarts with backoff.
 */
public final class EncoderWorker extends AbstractBehavior<EncoderWorker.Command> {
  /** What a worker accepts. */
  public sealed interface Command {}

  /**
   * Encode one item. {@code solo} items run in a batch of their own (retries of failed batches).
   */
  public record Encode(long key, PixelInput input, FeatureSpec spec, boolean solo, ActorRef<Reply> replyTo)
      implements Command {}

  /** Encode several items, queued together so that they can share a tower call. */
  public record EncodeAll(List<Encode> items) implements Command {
    public EncodeAll {
      items = List.copyOf(items);
    }
  }

  private record Flush() implements Command {}

  private record BatchFinished(long batch, List<FeatureOutput> outputs, Throwable failure)
      implements Command {}

  private record BatchTimedOut(long batch) implements Command {}

  /** What a worker answers. */
  public sealed interface Reply {
    /** The worker that answers. */
    int worker();
  }

  /** One item's features. */
  public record ItemEncoded(int worker, long key, FeatureOutput output) implements Reply {}

  /** The items of a failed tower call (each counts one attempt). */
  public record ItemsFailed(int worker, List<Long> keys, String cause) implements Reply {}

  /** Queued items never tried, handed back because the worker is restarting. */
  public record ItemsReturned(int worker, List<Long> keys) implements Reply {}

  private static final Object FLUSH = "flush";
  private static final Object TIMEOUT = "timeout";

  private final int worker;
  private final WorkerSettings settings;
  private final TimerScheduler<Command> timers;
  private final TowerThread tower;
  private final ArrayDeque<Encode> queue = new ArrayDeque<>();
  /** Batch ids unique across restarts, so a late answer from a previous incarnation never matches. */
  private static final AtomicLong BATCH_IDS = new AtomicLong();

  private List<Encode> running;
  private boolean flushQueued;
  private long runningBatch;

  /** A worker restarted with backoff when its tower fails or hangs. */
  public static Behavior<Command> create(int worker, EncoderFactory factory, WorkerSettings settings) {
    Behavior<Command> body = Behaviors.setup(ctx -> Behaviors.withTimers(
        timers -> new EncoderWorker(ctx, worker, factory, settings, timers)));
    return Behaviors.supervise(body).onFailure(WorkerFailure.class,
        SupervisorStrategy.restartWithBackoff(settings.minBackoff(), settings.maxBackoff(), 0.2)
            .withResetBackoffAfter(settings.maxBackoff().multipliedBy(4)));
  }

  private EncoderWorker(ActorContext<Command> ctx, int worker, EncoderFactory factory,
      WorkerSettings settings, TimerScheduler<Command> timers) {
    super(ctx);
    this.worker = worker;
    this.settings = settings;
    this.timers = timers;
    this.tower = new TowerThread(worker, factory);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Encode.class, e -> onEncode(List.of(e)))
        .onMessage(EncodeAll.class, all -> onEncode(all.items()))
        .onMessage(Flush.class, f -> {
          flushQueued = false;
          return startIfIdle();
        })
        .onMessage(BatchFinished.class, this::onBatchFinished)
        .onMessage(BatchTimedOut.class, this::onBatchTimedOut)
        .onSignal(PreRestart.class, s -> releaseTower())
        .onSignal(PostStop.class, s -> releaseTower())
        .build();
  }

  private Behavior<Command> onEncode(List<Encode> items) {
    queue.addAll(items);
    if (running == null) {
      if (queue.size() >= settings.batchLimit()) {
        return startIfIdle();
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
    }
    return this;
  }

  private Behavior<Command> startIfIdle() {
    if (running != null || queue.isEmpty()) {
      return this;
    }
    timers.cancel(FLUSH);
    running = takeBatch();
    long batch = BATCH_IDS.incrementAndGet();
    runningBatch = batch;
    List<PixelInput> inputs = running.stream().map(Encode::input).toList();
    getContext().pipeToSelf(tower.encode(inputs, running.get(0).spec()),
        (out, err) -> new BatchFinished(batch, out, err));
    timers.startSingleTimer(TIMEOUT, new BatchTimedOut(batch), settings.callTimeout());
    return this;
  }

  /** The head item plus queued items that can share its tower call. */
  private List<Encode> takeBatch() {
    Encode head = queue.poll();
    List<Encode> batch = new ArrayList<>();
    batch.add(head);
    if (head.solo()) {
      return batch;
    }
    for (Iterator<Encode> it = queue.iterator(); it.hasNext() && batch.size() < settings.batchLimit(); ) {
      Encode e = it.next();
      if (!e.solo() && e.spec().equals(head.spec()) && sameBatchShape(head.input(), e.input())) {
        batch.add(e);
        it.remove();
      }
    }
    return batch;
  }

  private static boolean sameBatchShape(PixelInput a, PixelInput b) {
    boolean patchRows = a.gridThw() != null;
    if (patchRows != (b.gridThw() != null)) {
      return false;
    }
    // Patch rows concatenate along rows; fixed-size images stack and must have one shape.
    return patchRows ? a.shape()[1] == b.shape()[1] : Arrays.equals(a.shape(), b.shape());
  }

  private Behavior<Command> onBatchFinished(BatchFinished done) {
    if (done.batch() != runningBatch || running == null) {
      return this; // a late answer from a call already given up on
    }
    timers.cancel(TIMEOUT);
    List<Encode> batch = running;
    running = null;
    if (done.failure() != null) {
      Throwable cause = done.failure().getCause() != null ? done.failure().getCause() : done.failure();
      return fail(batch, "tower failed: " + cause, false);
    }
    for (int i = 0; i < batch.size(); i++) {
      Encode e = batch.get(i);
      e.replyTo().tell(new ItemEncoded(worker, e.key(), done.outputs().get(i)));
    }
    return startIfIdle();
  }

  private Behavior<Command> onBatchTimedOut(BatchTimedOut t) {
    if (t.batch() != runningBatch || running == null) {
      return this;
    }
    List<Encode> batch = running;
    running = null;
    return fail(batch, "tower call hung for more than " + settings.callTimeout(), true);
  }

  private Behavior<Command> fail(List<Encode> batch, String cause, boolean hung) {
    for (Encode e : batch) {
      e.replyTo().tell(new ItemsFailed(worker, List.of(e.key()), cause));
    }
    for (Encode e : queue) {
      e.replyTo().tell(new ItemsReturned(worker, List.of(e.key())));
    }
    queue.clear();
    if (hung) {
      tower.close(true);
    }
    throw new WorkerFailure("worker " + worker + ": " + cause);
  }

  private Behavior<Command> releaseTower() {
    tower.close();
    return this;
  }
}

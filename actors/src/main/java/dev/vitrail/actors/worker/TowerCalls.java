package dev.vitrail.actors.worker;

import dev.vitrail.actors.worker.EncoderWorker.BatchFinished;
import dev.vitrail.actors.worker.EncoderWorker.BatchTimedOut;
import dev.vitrail.actors.worker.EncoderWorker.Command;
import dev.vitrail.actors.worker.EncoderWorker.Encode;
import dev.vitrail.actors.worker.EncoderWorker.ItemsFailed;
import dev.vitrail.actors.worker.EncoderWorker.ItemsReturned;
import dev.vitrail.encoders.api.PixelInput;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * A worker's tower calls: batches taken from its {@link BatchQueue} and handed to its {@link
 * TowerThread} (one running, one waiting right behind it, so the thread never waits for the actor),
 * each under the call timeout; their results answered per item ({@link BatchAnswers}). A call that
 * throws or hangs fails its batch, hands back every item not yet tried and throws {@link
 * WorkerFailure} (the worker restarts). Owned by one {@link EncoderWorker} (its actor thread).
 */
final class TowerCalls {
  /** Tower calls handed to the tower thread at once: one running, one waiting right behind it. */
  private static final int PIPELINE = 2;

  private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

  /**
   * Batch ids unique across restarts, so a late answer from a previous incarnation never matches.
   */
  private static final AtomicLong BATCH_IDS = new AtomicLong();

  private record Running(long id, List<Encode> items) {}

  private final int worker;
  private final WorkerSettings settings;
  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final TowerThread tower;
  private final BatchQueue queue;
  private final ArrayDeque<Running> running = new ArrayDeque<>();
  private boolean flushQueued;

  TowerCalls(
      int worker,
      WorkerSettings settings,
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      TowerThread tower,
      BatchQueue queue) {
    this.worker = worker;
    this.settings = settings;
    this.ctx = ctx;
    this.timers = timers;
    this.tower = tower;
    this.queue = queue;
  }

  /**
   * Queues {@code items}: handed over at once while a call runs or when a batch is full, else after
   * the batch wait (or, with no wait, behind the items already in the mailbox: they join it).
   */
  void add(List<Encode> items) {
    queue.addAll(items);
    reportHolding();
    if (!running.isEmpty() || queue.full()) {
      submit(false);
    } else if (settings.batchWait().isZero()) {
      if (!flushQueued) {
        flushQueued = true;
        ctx.getSelf().tell(new EncoderWorker.Flush());
      }
    } else if (!timers.isTimerActive(EncoderWorker.FLUSH)) {
      timers.startSingleTimer(EncoderWorker.FLUSH, new EncoderWorker.Flush(), settings.batchWait());
    }
  }

  /** The batch wait is over: a partial batch goes too. */
  void flush() {
    flushQueued = false;
    submit(true);
  }

  /**
   * The worker restarts ({@code stopping} false) or stops: the tower is closed; on a stop the close
   * is waited for (bounded: a hung call is not waited for long).
   */
  void release(boolean stopping) {
    settings.gate().hold(worker, 0);
    if (stopping) {
      tower.closeAndWait(
          CLOSE_WAIT.compareTo(settings.callTimeout()) < 0 ? CLOSE_WAIT : settings.callTimeout());
    } else {
      tower.close();
    }
  }

  /** Items this worker holds: queued, waiting on the tower thread or running. */
  int held() {
    int items = queue.size();
    for (Running r : running) {
      items += r.items().size();
    }
    return items;
  }

  /** Tells the core gate how many items this worker holds. */
  void reportHolding() {
    settings.gate().hold(worker, held());
  }

  /**
   * Hands batches to the tower thread: a partial batch only when the tower is idle and {@code
   * partialOk}; a full batch also while one call runs, so the thread never waits for us.
   */
  void submit(boolean partialOk) {
    while (!queue.isEmpty()
        && running.size() < PIPELINE
        && (queue.full() || (running.isEmpty() && partialOk))) {
      timers.cancel(EncoderWorker.FLUSH);
      List<Encode> batch = queue.take();
      long id = BATCH_IDS.incrementAndGet();
      running.add(new Running(id, batch));
      List<PixelInput> inputs = batch.stream().map(Encode::input).toList();
      ctx.pipeToSelf(
          tower.encode(inputs, batch.get(0).spec()), (out, err) -> new BatchFinished(id, out, err));
      // A call queued behind another may wait for it first.
      timers.startSingleTimer(
          id, new BatchTimedOut(id), settings.callTimeout().multipliedBy(running.size()));
    }
  }

  /** A call finished: its items answered (or failed); the next batches handed over. */
  void finished(BatchFinished done) {
    Running head = running.peek();
    if (head == null || head.id() != done.batch()) {
      return; // a late answer from a call already given up on
    }
    running.poll();
    reportHolding();
    timers.cancel(head.id());
    if (done.failure() != null) {
      Throwable cause =
          done.failure().getCause() != null ? done.failure().getCause() : done.failure();
      fail(head.items(), "tower failed: " + cause, false);
    }
    BatchAnswers.tell(worker, head.items(), done.result(), ctx);
    submit(true);
  }

  /** A call ran past its time limit: the worker gives it up and restarts. */
  void timedOut(BatchTimedOut t) {
    Running head = running.peek();
    if (head == null || head.id() != t.batch()) {
      return;
    }
    running.poll();
    fail(head.items(), "tower call hung for more than " + settings.callTimeout(), true);
  }

  /** Fails {@code batch}, hands back everything else, and restarts the worker. */
  private void fail(List<Encode> batch, String cause, boolean hung) {
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

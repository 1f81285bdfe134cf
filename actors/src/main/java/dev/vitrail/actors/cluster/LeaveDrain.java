package dev.vitrail.actors.cluster;

import dev.vitrail.actors.worker.EncoderWorker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A graceful leave of a worker node (the JVM was asked to exit, e.g. SIGTERM): before the node
 * leaves the cluster, its workers tell their supervisors they are leaving (no new items), finish
 * what they already received, and after {@code timeout} hand back whatever is still queued. Runs as
 * a task of the coordinated shutdown's {@code service-requests-done} phase; any other shutdown
 * (downed, removed) skips it, since its supervisor has re-dispatched the items already.
 */
final class LeaveDrain {
  private static final Logger LOG = LoggerFactory.getLogger(LeaveDrain.class);
  private static final long POLL_MILLIS = 100;

  private LeaveDrain() {}

  /** Adds the task to {@code system}'s coordinated shutdown. */
  static void install(
      ActorSystem<?> system, List<ActorRef<EncoderWorker.Command>> workers, Duration timeout) {
    CoordinatedShutdown cs = CoordinatedShutdown.get(system);
    cs.addTask(
        CoordinatedShutdown.PhaseServiceRequestsDone(),
        "vitrail-finish-queued-items",
        () -> {
          boolean exiting =
              cs.getShutdownReason()
                  .map(r -> r.equals(CoordinatedShutdown.jvmExitReason()))
                  .orElse(false);
          if (!exiting || timeout.isZero()) {
            return CompletableFuture.completedFuture(Done.getInstance());
          }
          return CompletableFuture.supplyAsync(() -> finish(system, workers, timeout));
        });
  }

  private static Done finish(
      ActorSystem<?> system, List<ActorRef<EncoderWorker.Command>> workers, Duration timeout) {
    long end = System.nanoTime() + timeout.toNanos();
    int held = Integer.MAX_VALUE;
    while (held > 0 && System.nanoTime() < end) {
      held = 0;
      for (ActorRef<EncoderWorker.Command> w : workers) {
        held += outstanding(system, w);
      }
      if (held > 0) {
        sleep();
      }
    }
    if (held > 0) {
      LOG.info("leave: {} items not finished within {}; handing them back", held, timeout);
      workers.forEach(w -> w.tell(new EncoderWorker.HandBack()));
    } else {
      LOG.info("leave: every received item finished");
    }
    return Done.getInstance();
  }

  private static int outstanding(ActorSystem<?> system, ActorRef<EncoderWorker.Command> w) {
    CompletionStage<Integer> n =
        AskPattern.ask(w, EncoderWorker.Leave::new, Duration.ofSeconds(1), system.scheduler());
    try {
      return n.toCompletableFuture().get(2, TimeUnit.SECONDS);
    } catch (Exception e) {
      return 0; // a worker that cannot answer holds nothing we can wait for
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
